import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createDashboardApp } from './dashboard-app';
import { createDashboardDatabase } from './dashboard-database';
import type { PipelineStatus } from './pipeline-health';

/** Options of {@link startDashboardServer}. */
export interface DashboardServerOptions {
  /** The warehouse, as the dashboard's read-only role. */
  readonly warehouseUrl: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** 127.0.0.1 unless told otherwise: locally the dashboard has no login. */
  readonly host?: string;
  readonly status?: () => Promise<PipelineStatus>;
}

/** A dashboard being served. */
export interface DashboardServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves the dashboard over HTTP on this machine until closed. */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const db = createDashboardDatabase(options.warehouseUrl);
  const app = createDashboardApp({ db, ...(options.status ? { status: options.status } : {}) });
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, () =>
      resolve(started),
    );
    started.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await db.destroy();
    },
  };
}
