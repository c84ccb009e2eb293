import { Hono } from 'hono';
import { endTime, startTime, timing } from 'hono/timing';
import type { Kysely } from 'kysely';
import type { DashboardDatabase } from './dashboard-database';
import { type DashboardFilter, parseDashboardFilter } from './dashboard-filter';
import { businessPage, healthPage, type PanelResult } from './dashboard-pages';
import { businessPages, currencyCodes, type Panel, panels } from './dashboard-panels';
import { type PipelineStatus, pipelineHealth } from './pipeline-health';

/** What the dashboard reads. */
export interface DashboardDeps {
  /** The warehouse, through a read-only role. */
  readonly db: Kysely<DashboardDatabase>;
  /** Source rows and queue depths, where the dashboard can see them (beside a local stack). */
  readonly status?: () => Promise<PipelineStatus>;
  /** Where a signed-in user signs out, linked from every page (the deployed dashboard). */
  readonly signOutPath?: string;
}

/** The message of a failed query, without anything a connection string could leak. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/postgres(ql)?:\/\/\S+/g, 'postgresql://…');
}

async function readPanel(deps: DashboardDeps, panel: Panel, filter: DashboardFilter): Promise<PanelResult> {
  try {
    return { panel, rows: await panel.query(deps.db, filter) };
  } catch (error) {
    return { panel, error: reasonOf(error) };
  }
}

/**
 * The dashboard as a Hono application.
 *
 * The business pages, the pipeline-health page, and the JSON data request behind each chart. Pages
 * are drawn on the server (charts as SVG), so they need no script and read the same with one.
 */
export function createDashboardApp(deps: DashboardDeps): Hono {
  const app = new Hono();
  // Every response says where its time went (`Server-Timing`: `db` for the queries, `render` for
  // the HTML and charts, `total`), for a browser's developer tools and the benchmark.
  app.use(timing({ totalDescription: 'total' }));
  const pageOptions = deps.signOutPath ? { signOutPath: deps.signOutPath } : {};

  for (const page of businessPages) {
    app.get(page.path, async (c) => {
      const filter = parseDashboardFilter(c.req.query());
      startTime(c, 'db', 'panel queries, at once');
      const [currencies, ...results] = await Promise.all([
        currencyCodes(deps.db).catch(() => [] as readonly string[]),
        ...page.panels.map((id) => readPanel(deps, panels[id] as Panel, filter)),
      ]);
      endTime(c, 'db');
      startTime(c, 'render', 'HTML and charts');
      const body = await businessPage(page, filter, currencies, results, pageOptions);
      endTime(c, 'render');
      return c.html(body);
    });
  }

  app.get('/health', async (c) => {
    startTime(c, 'db', 'health queries, at once');
    const health = await pipelineHealth(deps.db, deps.status);
    endTime(c, 'db');
    startTime(c, 'render', 'HTML and charts');
    const body = await healthPage(health, pageOptions);
    endTime(c, 'render');
    return c.html(body);
  });

  app.get('/api/panels', (c) =>
    c.json({
      panels: Object.values(panels).map(({ id, title, description, columns }) => ({
        id,
        title,
        description,
        columns,
      })),
    }),
  );

  app.get('/api/panels/:id', async (c) => {
    const panel = panels[c.req.param('id')];
    if (!panel)
      return c.json({ error: `no panel named ${c.req.param('id')}`, panels: Object.keys(panels) }, 404);
    const filter = parseDashboardFilter(c.req.query());
    const result = await readPanel(deps, panel, filter);
    if ('error' in result) return c.json({ panel: panel.id, filter, error: result.error }, 503);
    return c.json({ panel: panel.id, filter, rows: result.rows });
  });

  app.get('/api/health', async (c) => c.json(await pipelineHealth(deps.db, deps.status)));

  app.notFound((c) => c.text('Not found', 404));
  return app;
}
