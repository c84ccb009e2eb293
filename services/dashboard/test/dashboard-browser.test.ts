import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './launch-browser';
import { useDashboard } from './use-dashboard';

const dashboard = useDashboard(600);
const screenshotDir = fileURLToPath(new URL('../../../test-output/dashboard/', import.meta.url));
const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let browser: Browser;
// One page for every test: the package's Chromium runs as a single process (chromium.args), in
// which closing a page can take the whole browser down.
let page: Page;
let errors: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

/** Opens a page of the dashboard, collecting what the browser's console reports as errors from now on. */
async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  errors = [];
  const response = await page.goto(`${dashboard().server.url}${path}`);
  expect(response?.status()).toBe(200);
  return { page, errors };
}

/** The serious and critical violations axe-core finds on the page. */
async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: await axeSource });
  const results = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
      }
    ).axe;
    return (await axe.run()).violations.map(({ id, impact, nodes }) => ({ id, impact, nodes: nodes.length }));
  });
  return results
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes}`);
}

/** A panel's table as text, row by row. */
async function tableOf(page: Page, panel: string): Promise<string[][]> {
  return page.$$eval(`[data-panel="${panel}"] table tbody tr`, (rows) =>
    rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent?.trim() ?? '')),
  );
}

describe('the dashboard in a browser', () => {
  it('draws the overview: at least four charts, the top designs and counterparties by name, no console error', async () => {
    const { page, errors } = await open('/');

    const charts = await page.$$eval('figure.chart svg[role="img"], figure.chart figure svg', (svgs) =>
      svgs.map((svg) => svg.querySelectorAll('path, rect, line').length),
    );
    expect(charts.length).toBeGreaterThanOrEqual(4);
    expect(charts.every((marks) => marks > 0)).toBe(true);
    const topDesigns = await dashboard().rows<{ design_name: string }>(
      `SELECT design_name FROM analytics.sales_by_design GROUP BY design_id, design_name
        ORDER BY sum(units_sold) DESC, design_name LIMIT 3`,
    );
    const topCustomer = await dashboard().one<{ counterparty_name: string }>(
      `SELECT counterparty_name FROM analytics.sales_by_customer GROUP BY counterparty_id, counterparty_name
        ORDER BY sum(units_sold) DESC, counterparty_name LIMIT 1`,
    );
    for (const { design_name } of topDesigns) {
      expect(await page.getByRole('cell', { name: design_name, exact: true }).first().isVisible()).toBe(true);
    }
    expect(
      await page.getByRole('cell', { name: topCustomer.counterparty_name, exact: true }).first().isVisible(),
    ).toBe(true);
    expect(errors).toEqual([]);

    await mkdir(screenshotDir, { recursive: true });
    await page.screenshot({ path: `${screenshotDir}overview.png`, fullPage: true });
  });

  it('shows the numbers the database holds: top designs and payments by status', async () => {
    const { page } = await open('/');
    const format = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
    const designs = await dashboard().rows<{ design_name: string; orders: number; units: string }>(
      `SELECT d.design_name, count(*)::int AS orders, sum(f.units_sold)::text AS units
         FROM (SELECT DISTINCT ON (sales_order_id) * FROM public.fact_sales_order
                ORDER BY sales_order_id, last_updated_date DESC, last_updated_time DESC, sales_record_id DESC) f
         JOIN public.dim_design d USING (design_id)
        GROUP BY d.design_id, d.design_name ORDER BY sum(f.units_sold) DESC, d.design_name LIMIT 10`,
    );
    const payments = await dashboard().rows<{ code: string; status: string; n: number; amount: string }>(
      `SELECT c.currency_code AS code, CASE WHEN p.paid THEN 'paid' WHEN p.payment_date < current_date THEN 'overdue' ELSE 'due' END AS status,
              count(*)::int AS n, sum(p.payment_amount)::text AS amount
         FROM (SELECT DISTINCT ON (payment_id) * FROM public.fact_payment
                ORDER BY payment_id, last_updated_date DESC, last_updated_time DESC, payment_record_id DESC) p
         JOIN public.dim_currency c USING (currency_id)
        GROUP BY 1, 2 ORDER BY 1, 2 DESC`,
    );

    expect(await tableOf(page, 'top-designs')).toEqual(
      designs.map((row) => [
        row.design_name,
        format.format(row.orders),
        format.format(row.units as unknown as number),
      ]),
    );
    expect(await tableOf(page, 'payment-status')).toEqual(
      payments.map((row) => [
        row.code,
        row.status,
        format.format(row.n),
        format.format(row.amount as unknown as number),
      ]),
    );
  });

  it('redraws every business chart when the filter changes', async () => {
    const { page, errors } = await open('/');
    const chartsBefore = await page.$$eval('figure.chart', (figures) =>
      figures.map((figure) => figure.innerHTML),
    );

    await page.getByRole('combobox', { name: 'Currency' }).selectOption('EUR');
    await page.getByLabel('From month').fill('2023-01');
    await page.getByLabel('To month').fill('2023-12');
    await Promise.all([page.waitForURL(/currency=EUR/), page.getByRole('button', { name: 'Apply' }).click()]);

    const chartsAfter = await page.$$eval('figure.chart', (figures) =>
      figures.map((figure) => figure.innerHTML),
    );
    const months = await tableOf(page, 'sales-by-month');
    expect(page.url()).toContain('from=2023-01');
    expect(chartsAfter).toHaveLength(chartsBefore.length);
    chartsAfter.forEach((chart, index) => {
      expect(chart).not.toEqual(chartsBefore[index]);
    });
    expect(months.map((row) => row[1])).toEqual(Array(12).fill('EUR'));
    expect(months.map((row) => row[0])).toEqual(
      Array.from({ length: 12 }, (_, i) => `2023-${String(i + 1).padStart(2, '0')}-01`),
    );
    expect(errors).toEqual([]);
  });

  it.each(['/', '/sales', '/purchases', '/payments', '/health'])(
    '%s loads without a console error and passes the accessibility check',
    async (path) => {
      const { page, errors } = await open(path);

      expect(await accessibilityViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
      await page.keyboard.press('Tab');
      expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to the content');
    },
  );
});
