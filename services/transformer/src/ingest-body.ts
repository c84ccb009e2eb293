import { pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isCompressedIngestKey } from '@totes/pipeline';
import { MalformedObjectError } from '@totes/runtime';

/** zlib's errors carry a `Z_…` code (`Z_DATA_ERROR`, `Z_BUF_ERROR` for a truncated stream). */
function isZlibError(error: unknown): error is Error & { readonly code: string } {
  const code: unknown = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' && code.startsWith('Z_');
}

/**
 * The JSON Lines bytes of an ingest object: its body, decompressed off the main thread when the
 * key says it is gzip-compressed (`.jsonl.gz`), as it is otherwise (`.jsonl`). A body that is not
 * valid gzip, or ends early, throws {@link MalformedObjectError} naming the key; a failing read
 * of the body itself is passed on as it is (it may succeed when retried).
 */
export async function* ingestBody(key: string, body: Readable): AsyncGenerator<Uint8Array, void, undefined> {
  if (!isCompressedIngestKey(key)) {
    yield* body as AsyncIterable<Uint8Array>;
    return;
  }
  const bytes = pipeline(body, createGunzip(), () => undefined);
  try {
    for await (const chunk of bytes as AsyncIterable<Uint8Array>) yield chunk;
  } catch (error) {
    if (isZlibError(error)) {
      throw new MalformedObjectError(key, undefined, `it is not valid gzip (${error.message})`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    bytes.destroy();
  }
}
