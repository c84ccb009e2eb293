import type { Readable } from 'node:stream';

/** An object's listing entry. */
export interface StoredObject {
  readonly key: string;
  readonly size: number;
}

/** An object read back: its body as a stream and its user metadata. */
export interface ObjectRead {
  readonly body: Readable;
  readonly metadata: Readonly<Record<string, string>>;
  readonly eTag: string;
}

/**
 * The narrow view of a bucket the services need.
 *
 * Writes are all-or-nothing: an object is complete or absent, never partial.
 */
export interface ObjectStore {
  readonly bucket: string;
  /** Writes an object from a stream or a buffer; aborts (nothing visible) if the body fails. */
  put(
    key: string,
    body: Readable | Buffer | string,
    metadata?: Readonly<Record<string, string>>,
  ): Promise<{ readonly eTag: string }>;
  get(key: string): Promise<ObjectRead>;
  /** Metadata of an object, or undefined when it does not exist. */
  head(
    key: string,
  ): Promise<{ readonly metadata: Readonly<Record<string, string>>; readonly size: number } | undefined>;
  /** Keys under a prefix, in lexicographic order. */
  list(prefix: string): AsyncIterable<StoredObject>;
}
