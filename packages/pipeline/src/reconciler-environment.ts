import { z } from 'zod';
import { envBoolean, envInteger, envPostgresUrl, exactlyOneOf } from './environment-variables';
import { resourceNames } from './resource-names';

/**
 * The environment of the reconciler function.
 *
 * Buckets and queue names derive from `ENVIRONMENT`, as every resource name does
 * (`resourceNames`); a queue's URL is `QUEUE_URL_PREFIX` followed by its name. The warehouse
 * connection comes from exactly one of `WAREHOUSE_URL` (local runs) and `WAREHOUSE_SECRET_ARN`
 * (AWS), as the loader's does. Endpoints and credentials come from the SDK's own variables.
 */
export const reconcilerEnvironment = z
  .object({
    /** The deployment's name prefix (`prod`). */
    ENVIRONMENT: z.string().min(1),
    /** The region events are sent as coming from (Lambda sets it). */
    AWS_REGION: z.string().min(1),
    /**
     * The account of a deployment in AWS, whose bucket names end in `-<account>-<region>`
     * (`resourceNames`); absent for a local stack, whose bucket names carry neither.
     */
    ACCOUNT_ID: z
      .string()
      .regex(/^\d{12}$/, 'expected a 12-digit AWS account id')
      .optional(),
    /** `https://sqs.<region>.amazonaws.com/<account>/`: a queue's URL without its name. */
    QUEUE_URL_PREFIX: z.url().refine((url) => url.endsWith('/'), 'expected a URL ending in /'),
    /** `postgresql://user:password@host:port/database` of the warehouse. */
    WAREHOUSE_URL: envPostgresUrl().optional(),
    /** The Secrets Manager secret of the warehouse connection, read at the first run. */
    WAREHOUSE_SECRET_ARN: z.string().min(1).optional(),
    WAREHOUSE_STATEMENT_TIMEOUT_MS: envInteger(60_000),
    /** Path-style S3 addressing, which the local emulator needs. */
    S3_FORCE_PATH_STYLE: envBoolean(false),
  })
  .refine(...exactlyOneOf('WAREHOUSE_URL', 'WAREHOUSE_SECRET_ARN'))
  .transform((env, context) => {
    try {
      const scope = env.ACCOUNT_ID ? { account: env.ACCOUNT_ID, region: env.AWS_REGION } : undefined;
      return { ...env, names: resourceNames(env.ENVIRONMENT, scope) };
    } catch (error) {
      context.addIssue({ code: 'custom', path: ['ENVIRONMENT'], message: (error as Error).message });
      return z.NEVER;
    }
  });

/** The parsed {@link reconcilerEnvironment}. */
export type ReconcilerEnvironment = z.output<typeof reconcilerEnvironment>;
