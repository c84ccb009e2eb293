import type { SourceTableName } from './source-tables';
import type { StageName } from './stage-settings';
import type { TargetTableName } from './warehouse-tables';

/** A deployment's name prefix: lowercase, so it is valid in bucket names too. */
const environmentPattern = /^[a-z][a-z0-9-]{0,19}$/;

/** The table a stage works on: a source table for extraction, a warehouse table after it. */
export type StageTable<S extends StageName> = S extends 'extract' ? SourceTableName : TargetTableName;

/** The names of every resource of one deployment (`environment`, e.g. `prod` or `local`). */
export interface ResourceNames {
  readonly environment: string;
  readonly ingestBucket: string;
  readonly processedBucket: string;
  readonly ingestTopic: string;
  readonly processedTopic: string;
  readonly alertsTopic: string;
  queue<S extends StageName>(stage: S, table: StageTable<S>): string;
  deadLetterQueue<S extends StageName>(stage: S, table: StageTable<S>): string;
  functionName<S extends StageName>(stage: S, table: StageTable<S>): string;
}

/** Builds the resource names of a deployment; throws when the environment name is unusable. */
export function resourceNames(environment: string): ResourceNames {
  if (!environmentPattern.test(environment)) {
    throw new RangeError(
      `environment "${environment}" must be 1–20 characters: a lowercase letter, then lowercase letters, digits or hyphens`,
    );
  }
  const fifo = (stage: StageName) => (stage === 'extract' ? '.fifo' : '');
  return {
    environment,
    ingestBucket: `${environment}-totes-ingest`,
    processedBucket: `${environment}-totes-processed`,
    ingestTopic: `${environment}-totes-ingest-events`,
    processedTopic: `${environment}-totes-processed-events`,
    alertsTopic: `${environment}-totes-alerts`,
    queue: (stage, table) => `${environment}-${stage}-${table}${fifo(stage)}`,
    deadLetterQueue: (stage, table) => `${environment}-${stage}-${table}-dlq${fifo(stage)}`,
    functionName: (stage, table) => `${environment}-${stage}-${table}`,
  };
}
