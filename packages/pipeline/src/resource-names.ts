import type { SourceTableName } from './source-tables';
import type { StageName } from './stage-settings';
import type { TargetTableName } from './warehouse-tables';

/** A deployment's name prefix: lowercase, so it is valid in bucket names too. */
const environmentPattern = /^[a-z][a-z0-9-]{0,19}$/;

/** The table a stage works on: a source table for extraction, a warehouse table after it. */
export type StageTable<S extends StageName> = S extends 'extract' ? SourceTableName : TargetTableName;

/**
 * The account and region a deployment lives in.
 *
 * Bucket names are global to all of AWS, so a deployment in AWS adds both to them; in CDK they are
 * the `Aws.ACCOUNT_ID` and `Aws.REGION` tokens, so a template stays account-agnostic. A local stack
 * has none.
 */
export interface AccountScope {
  readonly account: string;
  readonly region: string;
}

/** The names of every resource of one deployment (`environment`, e.g. `prod` or `local`). */
export interface ResourceNames {
  readonly environment: string;
  /** Where the deployment lives, when its bucket names carry it. */
  readonly scope: AccountScope | undefined;
  readonly ingestBucket: string;
  readonly processedBucket: string;
  readonly ingestTopic: string;
  readonly processedTopic: string;
  readonly alertsTopic: string;
  /**
   * The queue of `stage` for `table`: one queue a table for transformation and loading; for
   * extraction the one FIFO queue of the deployment, whose message group is the table.
   */
  queue<S extends StageName>(stage: S, table: StageTable<S>): string;
  /** The DLQ of that queue. */
  deadLetterQueue<S extends StageName>(stage: S, table: StageTable<S>): string;
  /** The function that queue feeds: one for every table's extraction. */
  functionName<S extends StageName>(stage: S, table: StageTable<S>): string;
}

/**
 * The longest bucket name suffix a scope adds.
 *
 * `-<12-digit account>-<region>`, the longest region name (`ap-southeast-1`) being 14 characters.
 */
export const scopedBucketSuffixLength = 1 + 12 + 1 + 14;

/**
 * Builds the resource names of a deployment; throws when the environment name is unusable.
 *
 * With a `scope`, the buckets, whose names are global to all of AWS, end in `-<account>-<region>`
 * (`prod-totes-ingest-123456789012-eu-west-2`); every other name is unique within its account and
 * region already.
 */
export function resourceNames(environment: string, scope?: AccountScope): ResourceNames {
  if (!environmentPattern.test(environment)) {
    throw new RangeError(
      `environment "${environment}" must be 1–20 characters: a lowercase letter, then lowercase letters, digits or hyphens`,
    );
  }
  // Extraction is one FIFO queue and one function for every table (docs/decisions/0020).
  const perTable = (stage: StageName, table: string) => (stage === 'extract' ? stage : `${stage}-${table}`);
  const fifo = (stage: StageName) => (stage === 'extract' ? '.fifo' : '');
  const bucketSuffix = scope ? `-${scope.account}-${scope.region}` : '';
  return {
    environment,
    scope,
    ingestBucket: `${environment}-totes-ingest${bucketSuffix}`,
    processedBucket: `${environment}-totes-processed${bucketSuffix}`,
    ingestTopic: `${environment}-totes-ingest-events`,
    processedTopic: `${environment}-totes-processed-events`,
    alertsTopic: `${environment}-totes-alerts`,
    queue: (stage, table) => `${environment}-${perTable(stage, table)}${fifo(stage)}`,
    deadLetterQueue: (stage, table) => `${environment}-${perTable(stage, table)}-dlq${fifo(stage)}`,
    functionName: (stage, table) => `${environment}-${perTable(stage, table)}`,
  };
}
