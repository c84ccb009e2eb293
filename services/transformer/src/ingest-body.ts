import { pipeline, type Readable } from 'node:stream';
import {
  createGunzip,
  createZstdDecompress,
  type Gunzip,
  type ZstdDecompress,
  zstdDecompressSync,
} from 'node:zlib';
import { type IngestCompression, ingestCompressionOf, MalformedObjectError } from '@totes/pipeline';

/**
 * zlib's errors carry a code: `Z_…` (`Z_DATA_ERROR`, `Z_BUF_ERROR` for a truncated stream) or
 * `ZSTD_error_…`.
 */
function isCodecError(error: unknown): error is Error & { readonly code: string } {
  const code: unknown = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ZSTD_'));
}

const decompressors: Readonly<Record<IngestCompression, () => Gunzip | ZstdDecompress>> = {
  gzip: () => createGunzip(),
  zstd: () => createZstdDecompress(),
};

/**
 * The JSON Lines bytes of an ingest object.
 *
 * Its body, decompressed off the main thread when the key says it is compressed (`.jsonl.zst`,
 * `.jsonl.gz`), as it is otherwise (`.jsonl`). A body that is not valid for its codec, or ends
 * early, throws {@link MalformedObjectError} naming the key; so does a zstd body with data after
 * its first frame (the extractor writes one frame per object, and Node's zstd stream would stop at
 * the first one, dropping the rest; empty frames after it are allowed, as Node's own zstd streams
 * may write one); a failing read of the body itself is passed on as it is (it may succeed when
 * retried).
 */
export async function* ingestBody(key: string, body: Readable): AsyncGenerator<Uint8Array, void, undefined> {
  const compression = ingestCompressionOf(key);
  if (!compression) {
    yield* body as AsyncIterable<Uint8Array>;
    return;
  }
  let compressedBytes = 0;
  // The body's last bytes, to read what follows the first zstd frame, if anything does.
  let tail = Buffer.alloc(0);
  if (compression === 'zstd') {
    body.on('data', (chunk: Uint8Array) => {
      compressedBytes += chunk.length;
      tail =
        chunk.length >= trailingFramesMax
          ? Buffer.from(chunk.subarray(-trailingFramesMax))
          : Buffer.concat([tail, chunk]).subarray(-trailingFramesMax);
    });
  }
  const decompressor = decompressors[compression]();
  const bytes = pipeline(body, decompressor, () => undefined);
  try {
    for await (const chunk of bytes as AsyncIterable<Uint8Array>) yield chunk;
  } catch (error) {
    if (isCodecError(error)) {
      throw new MalformedObjectError(key, undefined, `it is not valid ${compression} (${error.message})`, {
        cause: error,
      });
    }
    throw error;
  } finally {
    bytes.destroy();
  }
  const trailing = compression === 'zstd' ? compressedBytes - decompressor.bytesWritten : 0;
  if (trailing > 0 && !emptyFrames(tail.subarray(-trailing))) {
    throw new MalformedObjectError(
      key,
      undefined,
      `it holds ${trailing} bytes of data after its first zstd frame; ingest objects are one frame`,
    );
  }
}

// Node's zstd streams may end a body with an empty frame (9 bytes); this much or more after the
// first frame is data.
const trailingFramesMax = 1024;

/** Whether `bytes`, read after a body's first zstd frame, are only frames without content. */
function emptyFrames(bytes: Buffer): boolean {
  if (bytes.length >= trailingFramesMax) return false;
  try {
    return zstdDecompressSync(bytes).length === 0;
  } catch {
    return false;
  }
}
