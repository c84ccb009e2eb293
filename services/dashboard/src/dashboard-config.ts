import { envInteger, envPostgresUrl, exactlyOneOf } from '@totes/pipeline';
import { z } from 'zod';

/**
 * The dashboard function's environment, parsed at cold start (with `loadConfig` from `@totes/runtime`).
 *
 * The warehouse as the read-only role, from exactly one of `WAREHOUSE_URL` and
 * `WAREHOUSE_SECRET_ARN` (the secret of the `totes_dashboard` role, never the loader's).
 */
export const dashboardConfig = z
  .object({
    WAREHOUSE_URL: envPostgresUrl().optional(),
    WAREHOUSE_SECRET_ARN: z.string().min(1).optional(),
    WAREHOUSE_STATEMENT_TIMEOUT_MS: envInteger(10_000),
  })
  .refine(...exactlyOneOf('WAREHOUSE_URL', 'WAREHOUSE_SECRET_ARN'));

/** The parsed {@link dashboardConfig}. */
export type DashboardConfig = z.output<typeof dashboardConfig>;
