import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { PanelChart, PanelRow } from './dashboard-panels';

// Observable Plot draws into any DOM: linkedom's is enough to serialise the SVG on the server,
// so the page needs no script at all (one chart takes about 3 ms here).
const { document } = parseHTML('<!doctype html><html><body></body></html>');

/** What is used here of the element Plot returns (linkedom's DOM; the project has no DOM types). */
interface ChartElement {
  readonly tagName: string;
  readonly parentElement: ChartElement | null;
  readonly outerHTML: string;
  querySelectorAll(selector: string): Iterable<ChartElement>;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
}

const asNumber = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

/** A `YYYY-MM-DD` as the UTC midnight Plot puts on a time axis. */
const asDate = (value: unknown): Date => new Date(`${String(value)}T00:00:00Z`);

function marksOf(chart: PanelChart, rows: readonly PanelRow[]): Plot.PlotOptions {
  switch (chart.kind) {
    case 'line': {
      const data = rows.map((row) => ({
        x: asDate(row[chart.x]),
        y: asNumber(row[chart.y]),
        series: String(row[chart.series]),
      }));
      return {
        marginLeft: 70,
        x: { type: 'utc', label: null },
        y: { grid: true, label: chart.yLabel },
        color: { legend: true },
        marks: [
          Plot.ruleY([0]),
          Plot.line(data, {
            x: 'x',
            y: 'y',
            z: 'series',
            stroke: 'series',
            marker: data.length < 40 ? 'circle' : null,
          }),
        ],
      };
    }
    case 'ranking': {
      const data = rows.map((row) => ({ x: asNumber(row[chart.x]), y: String(row[chart.y]) }));
      return {
        marginLeft: 180,
        marginRight: 56,
        height: Math.max(120, data.length * 26 + 40),
        x: { grid: true, label: chart.xLabel },
        y: { label: null, domain: data.map((row) => row.y) },
        marks: [
          Plot.barX(data, { x: 'x', y: 'y', fill: '#1f6f8b' }),
          Plot.text(data, {
            x: 'x',
            y: 'y',
            text: (row: { x: number }) => row.x.toLocaleString('en-GB'),
            dx: 4,
            textAnchor: 'start',
          }),
          Plot.ruleX([0]),
        ],
      };
    }
    case 'grouped': {
      const data = rows.map((row) => ({
        group: String(row[chart.group]),
        x: String(row[chart.x]),
        y: asNumber(row[chart.y]),
      }));
      const sameAxis = chart.group === chart.x;
      return {
        marginLeft: 70,
        ...(sameAxis ? {} : { fx: { label: null } }),
        x: { label: null, axis: sameAxis ? 'bottom' : 'bottom' },
        y: { grid: true, label: chart.yLabel },
        color: { legend: !sameAxis },
        marks: [
          Plot.barY(data, {
            ...(sameAxis ? {} : { fx: 'group' }),
            x: 'x',
            y: 'y',
            fill: sameAxis ? '#1f6f8b' : 'x',
          }),
          Plot.ruleY([0]),
        ],
      };
    }
  }
}

/**
 * Draws a panel's rows as an SVG chart (or a legend and an SVG), as markup to put in the page.
 *
 * The chart is an image described by its label; its table says the same in words.
 */
export function renderChart(chart: PanelChart, rows: readonly PanelRow[], label: string): string {
  if (rows.length === 0) return '<p class="empty">No data for this filter.</p>';
  const figure = Plot.plot({
    document,
    width: 640,
    height: 300,
    style: { fontSize: '12px', background: 'transparent' },
    ...marksOf(chart, rows),
  } as Plot.PlotOptions) as unknown as ChartElement;
  // The chart is one image named by its label: Plot's labels on the groups inside it (aria-label
  // without a role, which ARIA prohibits there) say nothing the table does not, so they go, and
  // the legend's colour swatches are decoration beside their currency's name.
  for (const element of [figure, ...figure.querySelectorAll('[aria-label], [aria-description]')]) {
    element.removeAttribute('aria-label');
    element.removeAttribute('aria-description');
  }
  for (const svg of figure.tagName.toLowerCase() === 'svg' ? [figure] : figure.querySelectorAll('svg')) {
    if (svg.parentElement?.tagName.toLowerCase() === 'span') {
      svg.setAttribute('aria-hidden', 'true');
    } else {
      svg.setAttribute('role', 'img');
      svg.setAttribute('aria-label', label);
    }
  }
  return figure.outerHTML;
}
