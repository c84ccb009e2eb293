import { snapshotPrefix } from './ingest-key';
import type { ResourceNames } from './resource-names';
import { isReferenceTable, type SourceTableName, sourceTableNames } from './source-tables';
import { type StageName, stageSettings, visibilityTimeoutSeconds } from './stage-settings';
import { type TargetTableName, warehouseTableNames, warehouseTables } from './warehouse-tables';

/** A queue that feeds one function, with its dead-letter queue. */
export interface QueueResource {
  readonly stage: StageName;
  /** The one table of a transform or load queue; none for the extract queue, which carries every source table. */
  readonly table: SourceTableName | TargetTableName | undefined;
  /** The tables whose messages it carries (each its own message group in the extract queue). */
  readonly tables: readonly (SourceTableName | TargetTableName)[];
  readonly name: string;
  readonly deadLetterQueue: string;
  readonly fifo: boolean;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
}

/** An SNS topic → SQS queue subscription, filtered on the S3 key in the message body. */
export interface SubscriptionResource {
  readonly topic: string;
  readonly queue: string;
  /** An SNS filter policy applied with `FilterPolicyScope: MessageBody`. */
  readonly filterPolicy: {
    readonly Records: {
      readonly s3: { readonly object: { readonly key: readonly { readonly prefix: string }[] } };
    };
  };
}

/** Every resource of a deployment, derived from the topology. */
export interface PipelineResources {
  readonly buckets: readonly string[];
  readonly topics: readonly string[];
  readonly queues: readonly QueueResource[];
  readonly subscriptions: readonly SubscriptionResource[];
  /** Which topic announces the new objects of which bucket (S3 event notifications). */
  readonly notifications: readonly { readonly bucket: string; readonly topic: string }[];
}

function keyPrefixFilter(prefixes: readonly string[]): SubscriptionResource['filterPolicy'] {
  return { Records: { s3: { object: { key: prefixes.map((prefix) => ({ prefix })) } } } };
}

/**
 * The key prefixes of ingest objects that a warehouse table is built from.
 *
 * Every object of an event table, only the snapshots of a reference table.
 */
export function inputPrefixes(target: TargetTableName): readonly string[] {
  return (warehouseTables[target].inputs as readonly SourceTableName[]).map((input) =>
    isReferenceTable(input) ? snapshotPrefix(input) : `${input}/`,
  );
}

/** Derives buckets, topics, queues and filtered subscriptions of a deployment from the topology. */
export function pipelineResources(names: ResourceNames): PipelineResources {
  const queue = <S extends StageName>(stage: S, table: SourceTableName | TargetTableName): QueueResource => ({
    stage,
    table: stage === 'extract' ? undefined : table,
    tables: stage === 'extract' ? sourceTableNames : [table],
    // The casts are safe: the stage decides which kind of table it is given below.
    name: names.queue(stage, table as never),
    deadLetterQueue: names.deadLetterQueue(stage, table as never),
    fifo: stageSettings[stage].fifo,
    visibilityTimeoutSeconds: visibilityTimeoutSeconds(stage),
    maxReceiveCount: stageSettings[stage].maxReceiveCount,
  });
  const transformed = warehouseTableNames.filter((target) => warehouseTables[target].inputs.length > 0);
  return {
    buckets: [names.ingestBucket, names.processedBucket],
    topics: [names.ingestTopic, names.processedTopic, names.alertsTopic],
    queues: [
      // One FIFO queue for every table's extract requests, the table their message group.
      queue('extract', sourceTableNames[0] as SourceTableName),
      ...transformed.map((target) => queue('transform', target)),
      ...warehouseTableNames.map((target) => queue('load', target)),
    ],
    subscriptions: [
      ...transformed.map((target) => ({
        topic: names.ingestTopic,
        queue: names.queue('transform', target),
        filterPolicy: keyPrefixFilter(inputPrefixes(target)),
      })),
      ...warehouseTableNames.map((target) => ({
        topic: names.processedTopic,
        queue: names.queue('load', target),
        filterPolicy: keyPrefixFilter([`${target}/`]),
      })),
    ],
    notifications: [
      { bucket: names.ingestBucket, topic: names.ingestTopic },
      { bucket: names.processedBucket, topic: names.processedTopic },
    ],
  };
}
