import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { PipelineError } from '@totes/pipeline';
import type { ObjectStore } from '@totes/runtime';
import type { AsyncBuffer } from 'hyparquet';

/** A processed object on local disk, readable at random (a Parquet footer is at the end). */
export interface SpooledObject {
  readonly file: AsyncBuffer;
  readonly eTag: string;
  /** Closes and deletes the local copy. */
  close(): Promise<void>;
}

/**
 * Downloads an object in one streamed GET to a temporary file and reads it from there.
 *
 * So memory stays flat whatever the object's size (the disk holds it, not the heap). An object that
 * no longer exists can never load and fails as not retryable.
 */
export async function spoolObject(
  store: Pick<ObjectStore, 'get' | 'bucket'>,
  key: string,
  directory: string = tmpdir(),
): Promise<SpooledObject> {
  const folder = await mkdtemp(join(directory, 'totes-load-'));
  const path = join(folder, 'object.parquet');
  try {
    let read: Awaited<ReturnType<ObjectStore['get']>>;
    try {
      read = await store.get(key);
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') {
        throw new PipelineError(`s3://${store.bucket}/${key} does not exist: it cannot be loaded`, {
          cause: error,
          retryable: false,
        });
      }
      throw error;
    }
    await pipeline(read.body, createWriteStream(path));
    const handle = await open(path, 'r');
    const { size } = await handle.stat();
    return {
      eTag: read.eTag,
      file: {
        byteLength: size,
        async slice(start: number, end = size) {
          const bytes = new Uint8Array(Math.max(0, Math.min(end, size) - start));
          if (bytes.length > 0) await handle.read(bytes, 0, bytes.length, start);
          return bytes.buffer;
        },
      },
      async close() {
        await handle.close();
        await rm(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}
