import { envInteger, envPostgresUrl, exactlyOneOf } from '@totes/pipeline';
import { z } from 'zod';

/**
 * The environment of the scheduled analytics refresh, parsed at cold start with `loadConfig`.
 *
 * The warehouse as its owner, from exactly one of `WAREHOUSE_URL` and `WAREHOUSE_SECRET_ARN`
 * (the loader's secret), and the dashboard's read-only secret, whose password the role
 * `totes_dashboard` is given.
 */
export const analyticsRefreshConfig = z
  .object({
    WAREHOUSE_URL: envPostgresUrl().optional(),
    WAREHOUSE_SECRET_ARN: z.string().min(1).optional(),
    DASHBOARD_SECRET_ARN: z.string().min(1),
    // A refresh at scale factor 100 took 142 s here; the function may run 15 minutes.
    WAREHOUSE_STATEMENT_TIMEOUT_MS: envInteger(840_000),
  })
  .refine(...exactlyOneOf('WAREHOUSE_URL', 'WAREHOUSE_SECRET_ARN'));

/** The parsed {@link analyticsRefreshConfig}. */
export type AnalyticsRefreshConfig = z.output<typeof analyticsRefreshConfig>;
