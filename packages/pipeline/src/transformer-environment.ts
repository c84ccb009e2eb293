import { z } from 'zod';
import { envBoolean, envInteger } from './environment-variables';
import { isWarehouseTableName, type TargetTableName } from './warehouse-tables';

/**
 * The environment of a transformer function, one per warehouse table.
 *
 * Endpoints, region and credentials come from the SDK's own settings (`AWS_ENDPOINT_URL`,
 * `AWS_REGION`, …), so only the table, the buckets and the generation differ between deployments.
 */
export const transformerEnvironment = z.object({
  /** The warehouse table this function transforms. */
  TARGET_TABLE: z
    .string()
    .refine(isWarehouseTableName, { message: 'not a warehouse table of the topology' })
    .transform((name) => name as TargetTableName),
  /** The bucket of raw JSON Lines objects. */
  INGEST_BUCKET: z.string().min(3),
  /** The bucket the Parquet objects are written to. */
  PROCESSED_BUCKET: z.string().min(3),
  /**
   * The topic the processed bucket notifies (processed-events): an output found already written
   * is announced there again. Without it, such an output is left to reconciliation.
   */
  PROCESSED_TOPIC_ARN: z.string().min(1).optional(),
  /** The generation written; a deliberate reprocess raises it to write beside the old objects. */
  TRANSFORM_GENERATION: envInteger(1),
  /** `true` for an S3 emulator without per-bucket host names. */
  S3_FORCE_PATH_STYLE: envBoolean(false),
});

/** The parsed {@link transformerEnvironment}. */
export type TransformerEnvironment = z.output<typeof transformerEnvironment>;
