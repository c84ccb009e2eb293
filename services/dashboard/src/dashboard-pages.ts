import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { DashboardFilter } from './dashboard-filter';
import { filterQueryString } from './dashboard-filter';
import type { Panel, PanelRow, PanelValue } from './dashboard-panels';
import type { PipelineHealth, TableHealth } from './pipeline-health';
import { renderChart } from './render-chart';

type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The pages of the navigation, in order. */
export const navigation = [
  { path: '/', title: 'Overview' },
  { path: '/sales', title: 'Sales' },
  { path: '/purchases', title: 'Purchases' },
  { path: '/payments', title: 'Payments' },
  { path: '/health', title: 'Pipeline health' },
] as const;

const styles = `
:root { color-scheme: light; font-family: system-ui, sans-serif; color: #1b1b1b; background: #f6f7f9; }
body { margin: 0; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px; }
header { background: #12394a; color: #fff; padding: 8px 24px; display: flex; gap: 24px; align-items: center; flex-wrap: wrap; }
header .brand { font-weight: 700; margin: 0; }
nav ul { list-style: none; display: flex; gap: 16px; margin: 0; padding: 0; flex-wrap: wrap; }
nav a, a.sign-out { color: #fff; text-decoration: none; padding: 4px 2px; }
a.sign-out { margin-left: auto; text-decoration: underline; }
nav a[aria-current="page"] { border-bottom: 3px solid #ffd166; font-weight: 600; }
nav a:focus-visible, a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, summary:focus-visible { outline: 3px solid #ffd166; outline-offset: 2px; }
main { padding: 16px 24px; max-width: 1400px; }
h1 { margin: 8px 0 12px; font-size: 1.6rem; }
form.filter { display: flex; gap: 12px; align-items: end; flex-wrap: wrap; background: #fff; padding: 12px; border-radius: 6px; border: 1px solid #d0d5dd; }
form.filter label { display: flex; flex-direction: column; font-size: .9rem; gap: 2px; }
form.filter input, form.filter select, form.filter button { font: inherit; padding: 4px 8px; }
form.filter button { background: #12394a; color: #fff; border: 0; border-radius: 4px; padding: 6px 14px; cursor: pointer; }
.note { color: #444; font-size: .9rem; }
.panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; margin-top: 16px; }
.panel { background: #fff; border: 1px solid #d0d5dd; border-radius: 6px; padding: 12px 16px; min-width: 0; }
.scroll { overflow-x: auto; }
.panel h2 { font-size: 1.15rem; margin: 0 0 4px; }
.panel p { margin: 0 0 8px; color: #333; }
figure { margin: 0; }
table { border-collapse: collapse; font-size: .9rem; margin-top: 8px; }
caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
th, td { padding: 3px 10px; border-bottom: 1px solid #e4e7ec; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.error { color: #a30000; font-weight: 600; }
`;

/** What a page shows besides its content. */
export interface PageOptions {
  /** Where a signed-in user signs out (the deployed dashboard); no link when absent (locally). */
  readonly signOutPath?: string;
}

/** The whole page around a body. */
function layout(
  title: string,
  currentPath: string,
  body: Markup,
  options: PageOptions,
  refreshSeconds?: number,
): Markup {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Terrific Totes dashboard</title>
<style>${raw(styles)}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header>
<p class="brand">Terrific Totes</p>
<nav aria-label="Dashboard pages"><ul>
${navigation.map(
  (page) =>
    html`<li><a href="${page.path}"${page.path === currentPath ? raw(' aria-current="page"') : ''}>${page.title}</a></li>`,
)}
</ul></nav>
${options.signOutPath ? html`<a class="sign-out" href="${options.signOutPath}">Sign out</a>` : ''}
</header>
<main id="main">
<h1>${title}</h1>
${refreshSeconds ? refreshControl(refreshSeconds) : ''}
${body}
</main>
</body>
</html>`;
}

/**
 * A checkbox that reloads the page every few seconds while it is ticked (ticked at first), so a
 * reader can stop the page moving under them. The only script of the dashboard.
 */
function refreshControl(seconds: number): Markup {
  return html`<p><label><input type="checkbox" id="auto-refresh" checked> Refresh every ${seconds} seconds</label></p>
<script>${raw(`(() => {
  const box = document.getElementById('auto-refresh');
  const key = 'totes-dashboard-refresh';
  box.checked = sessionStorage.getItem(key) !== 'off';
  box.addEventListener('change', () => sessionStorage.setItem(key, box.checked ? 'on' : 'off'));
  setInterval(() => { if (box.checked) location.reload(); }, ${seconds * 1000});
})();`)}</script>`;
}

const numberFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });

/** A cell's text: numbers with thousands separators, exactly (a decimal string is formatted as is). */
function cellText(value: PanelValue, numeric: boolean | undefined): string {
  if (value === null) return '–';
  if (numeric) return numberFormat.format(value as unknown as number);
  return String(value);
}

function table(panel: Panel, rows: readonly PanelRow[]): Markup {
  return html`<table>
<caption>${panel.title}</caption>
<thead><tr>${panel.columns.map((column) => html`<th scope="col"${column.numeric ? raw(' class="n"') : ''}>${column.label}</th>`)}</tr></thead>
<tbody>
${rows.map(
  (row) =>
    html`<tr>${panel.columns.map((column) =>
      column.numeric
        ? html`<td class="n">${cellText(row[column.key] ?? null, true)}</td>`
        : html`<td>${cellText(row[column.key] ?? null, false)}</td>`,
    )}</tr>`,
)}
</tbody>
</table>`;
}

/** A panel whose rows were read, or the reason they could not be. */
export type PanelResult =
  | { readonly panel: Panel; readonly rows: readonly PanelRow[] }
  | { readonly panel: Panel; readonly error: string };

/** Rankings name designs and counterparties: their table is open, so the names are visible text. */
const openTables = new Set(['ranking']);

function panelSection(result: PanelResult): Markup {
  const { panel } = result;
  const heading = `heading-${panel.id}`;
  if ('error' in result) {
    return html`<section class="panel" id="panel-${panel.id}" aria-labelledby="${heading}">
<h2 id="${heading}">${panel.title}</h2>
<p class="error" role="alert">This chart could not be read: ${result.error}</p>
</section>`;
  }
  const open = openTables.has(panel.chart.kind) ? raw(' open') : '';
  return html`<section class="panel" id="panel-${panel.id}" data-panel="${panel.id}" aria-labelledby="${heading}">
<h2 id="${heading}">${panel.title}</h2>
<p>${panel.description}</p>
<figure class="chart">${raw(renderChart(panel.chart, result.rows, `${panel.title}: ${panel.description}`))}</figure>
<details${open}><summary>Table: ${panel.title}</summary>
<div class="scroll" tabindex="0" role="region" aria-label="Table: ${panel.title}">${table(panel, result.rows)}</div>
</details>
</section>`;
}

function filterForm(path: string, filter: DashboardFilter, currencies: readonly string[]): Markup {
  return html`<form class="filter" method="get" action="${path}" aria-label="Filter the charts">
<label for="filter-from">From month<input type="month" id="filter-from" name="from" value="${filter.from ?? ''}"></label>
<label for="filter-to">To month<input type="month" id="filter-to" name="to" value="${filter.to ?? ''}"></label>
<label for="filter-currency">Currency<select id="filter-currency" name="currency">
<option value=""${filter.currency ? '' : raw(' selected')}>Every currency, each apart</option>
${currencies.map((code) => html`<option value="${code}"${filter.currency === code ? raw(' selected') : ''}>${code}</option>`)}
</select></label>
<button type="submit">Apply</button>
${filter.from || filter.to || filter.currency ? html`<a href="${path}">Whole period, every currency</a>` : ''}
</form>
<p class="note">${filter.from || filter.to ? `Orders placed ${filter.from ? `from ${filter.from}` : ''} ${filter.to ? `to ${filter.to}` : ''}` : 'The whole period'}${filter.currency ? `, priced in ${filter.currency}` : ', every currency'}. Each order and payment counts once, in its current version; amounts in different currencies are never added together.</p>`;
}

/** A business page: the filter, then each panel with its chart and table. */
export function businessPage(
  page: { readonly path: string; readonly title: string },
  filter: DashboardFilter,
  currencies: readonly string[],
  results: readonly PanelResult[],
  options: PageOptions = {},
): Markup {
  return layout(
    page.title,
    page.path,
    html`${filterForm(page.path, filter, currencies)}
<div class="panels">
${results.map(panelSection)}
</div>
<p class="note">The data behind each chart: <code>/api/panels/&lt;id&gt;${filterQueryString(filter)}</code> (JSON).</p>`,
    options,
  );
}

function age(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 120) return `${seconds.toFixed(0)} s ago`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(0)} min ago`;
  if (seconds < 172_800) return `${(seconds / 3600).toFixed(0)} h ago`;
  return `${(seconds / 86_400).toFixed(0)} days ago`;
}

const healthColumns: readonly { key: keyof TableHealth; label: string; numeric?: boolean }[] = [
  { key: 'table', label: 'Warehouse table' },
  { key: 'source', label: 'Source table' },
  { key: 'sourceRows', label: 'Source rows', numeric: true },
  { key: 'warehouseRows', label: 'Warehouse rows', numeric: true },
  { key: 'freshnessSeconds', label: 'Newest change loaded' },
  { key: 'queued', label: 'Queued', numeric: true },
  { key: 'deadLetters', label: 'DLQ', numeric: true },
  { key: 'quarantined', label: 'Quarantined', numeric: true },
  { key: 'rowsLoadedLastHour', label: 'Rows loaded, last hour', numeric: true },
];

/** The pipeline-health page: `totes status`'s table, and the last hour's throughput as a chart. */
export function healthPage(health: PipelineHealth, options: PageOptions = {}): Markup {
  const loaded = health.tables
    .filter((row) => (row.rowsLoadedLastHour ?? 0) > 0)
    .map((row) => ({ table: row.table, rows: row.rowsLoadedLastHour }));
  return layout(
    'Pipeline health',
    '/health',
    html`<p class="note">As of ${health.at}.
${health.warehouseReachable ? '' : html`<span class="error" role="alert">The warehouse cannot be reached: only what is known without it is shown.</span>`}
A dash means this cannot be known from here (source rows and queues are shown when the dashboard runs beside the pipeline).</p>
<div class="panels">
<section class="panel" aria-labelledby="heading-tables">
<h2 id="heading-tables">Tables</h2>
<div class="scroll" tabindex="0" role="region" aria-labelledby="heading-tables">
<table id="health-table">
<caption>Per warehouse table: rows, freshness, queues and quarantine</caption>
<thead><tr>${healthColumns.map((column) => html`<th scope="col"${column.numeric ? raw(' class="n"') : ''}>${column.label}</th>`)}</tr></thead>
<tbody>
${health.tables.map(
  (row) =>
    html`<tr>${healthColumns.map((column) => {
      const value = row[column.key];
      if (column.key === 'freshnessSeconds') return html`<td>${age(row.freshnessSeconds)}</td>`;
      return column.numeric
        ? html`<td class="n">${cellText(value as PanelValue, true)}</td>`
        : html`<td>${cellText(value as PanelValue, false)}</td>`;
    })}</tr>`,
)}
</tbody>
</table>
</div>
</section>
<section class="panel" aria-labelledby="heading-throughput">
<h2 id="heading-throughput">Throughput, last hour</h2>
<p>Rows inserted or updated per table by the loads of the last hour.</p>
<figure class="chart">${raw(
      renderChart(
        { kind: 'ranking', x: 'rows', y: 'table', xLabel: 'rows loaded' },
        loaded,
        'Rows loaded per warehouse table in the last hour',
      ),
    )}</figure>
</section>
</div>`,
    options,
    10,
  );
}
