import { createLogger, type PipelineLogger } from '@totes/runtime';
import {
  connectionStringFromSecretArn,
  connectWithCachedSecret,
  databaseConnectionString,
} from '@totes/runtime/database';
import type { AnalyticsRefreshConfig } from './analytics-refresh-config';
import { dashboardRole } from './dashboard-reader';
import { DashboardSecretError } from './dashboard-secret-error';
import { type AnalyticsRefreshOutcome, refreshAnalytics } from './refresh-analytics';

/** What {@link analyticsRefreshFromConfig} uses besides its configuration (replaced in tests). */
export interface AnalyticsRefreshDeps {
  /** A database secret as a connection string (Secrets Manager in AWS). */
  readonly readSecret?: (secretArn: string) => Promise<string>;
  readonly logger?: PipelineLogger;
  /** The read-only role; {@link dashboardRole} unless told otherwise (tests sharing a cluster). */
  readonly role?: string;
}

/**
 * The scheduled analytics refresh with its real parts.
 *
 * Each run reads the dashboard's secret
 * (so a new password reaches the role at the next run), connects as the warehouse's owner and
 * runs {@link refreshAnalytics}. It logs what it did and how long it took, never a password.
 */
export function analyticsRefreshFromConfig(
  config: AnalyticsRefreshConfig,
  deps: AnalyticsRefreshDeps = {},
): () => Promise<AnalyticsRefreshOutcome> {
  const readSecret = deps.readSecret ?? connectionStringFromSecretArn;
  const logger = deps.logger ?? createLogger('analytics-refresh');
  const role = deps.role ?? dashboardRole;
  const owner = databaseConnectionString(
    { url: config.WAREHOUSE_URL, secretArn: config.WAREHOUSE_SECRET_ARN },
    readSecret,
  );
  return async () => {
    const reader = new URL(await readSecret(config.DASHBOARD_SECRET_ARN));
    const username = decodeURIComponent(reader.username);
    if (username !== role) throw new DashboardSecretError(config.DASHBOARD_SECRET_ARN, username, role);
    const client = await connectWithCachedSecret(owner, {
      statementTimeoutMs: config.WAREHOUSE_STATEMENT_TIMEOUT_MS,
      applicationName: 'totes-analytics-refresh',
    });
    try {
      const outcome = await refreshAnalytics(client, { role, password: decodeURIComponent(reader.password) });
      logger.info(
        outcome.waiting
          ? 'analytics views not refreshed: the warehouse has no star schema yet'
          : 'analytics views refreshed',
        {
          role,
          ...outcome,
        },
      );
      return outcome;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
}
