import type { ObjectStore } from '@totes/runtime';

/** The two buckets a transform touches, each through the narrow view it needs. */
export interface TransformStores {
  /** Raw JSON Lines: read, and listed to find the latest snapshots; never written. */
  readonly ingest: Pick<ObjectStore, 'bucket' | 'get' | 'list'>;
  /** Parquet out: checked for an existing object, then written all-or-nothing. */
  readonly processed: Pick<ObjectStore, 'bucket' | 'put' | 'head'>;
}
