import { z } from 'zod';
import { envBoolean, envInteger, envPostgresUrl, exactlyOneOf } from './environment-variables';
import { stageSettings } from './stage-settings';
import { isWarehouseTableName, type TargetTableName } from './warehouse-tables';

/**
 * The environment of a loader function, one per warehouse table.
 *
 * The warehouse connection comes from exactly one of `WAREHOUSE_URL` (local runs) and
 * `WAREHOUSE_SECRET_ARN` (AWS: a Secrets Manager secret with host, port, username, password and
 * dbname). `WAREHOUSE_URL` holds credentials: it is never logged, and a configuration error names
 * the variable, not its value. AWS endpoints and credentials come from the SDK's own variables
 * (`AWS_ENDPOINT_URL`, `AWS_REGION`, …).
 */
export const loaderEnvironment = z
  .object({
    /** The warehouse table this function loads. */
    TARGET_TABLE: z
      .string()
      .refine(isWarehouseTableName, 'not a warehouse table of the topology')
      .transform((name) => name as TargetTableName),
    /** The processed bucket the objects are read from. */
    PROCESSED_BUCKET: z.string().min(3),
    /** `postgresql://user:password@host:port/database` of the warehouse. */
    WAREHOUSE_URL: envPostgresUrl().optional(),
    /** The Secrets Manager secret of the warehouse connection, read at the first load. */
    WAREHOUSE_SECRET_ARN: z.string().min(1).optional(),
    /** Every statement is cancelled after this long (the function's timeout is 300 s). */
    WAREHOUSE_STATEMENT_TIMEOUT_MS: envInteger(120_000),
    /** The first retry delay of a waiting or failed message, doubled on every receive. */
    LOAD_RETRY_BASE_SECONDS: envInteger(stageSettings.load.retry.baseSeconds),
    /** The longest retry delay. */
    LOAD_RETRY_MAX_SECONDS: envInteger(stageSettings.load.retry.maxSeconds),
    /** The load queue's `maxReceiveCount` (its redrive policy): the attempts before the DLQ. */
    LOAD_MAX_RECEIVE_COUNT: envInteger(stageSettings.load.maxReceiveCount),
    /** Path-style S3 addressing, which the local emulator needs. */
    S3_FORCE_PATH_STYLE: envBoolean(false),
  })
  .refine(...exactlyOneOf('WAREHOUSE_URL', 'WAREHOUSE_SECRET_ARN'));

/** The parsed {@link loaderEnvironment}. */
export type LoaderEnvironment = z.output<typeof loaderEnvironment>;
