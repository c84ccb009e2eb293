import { constants, createZstdCompress } from 'node:zlib';
import { ingestZstdParams } from '@totes/pipeline';
import { ChunkRows } from '../copy/chunk-rows';
import type { RenderedChunk } from '../copy/json-lines-chunker';
import type { ChunkBuilder, CompressedChunk } from './compressed-chunk';

// Pieces given to the stream and not yet compressed: enough for compression to run beside the
// rendering without waiting for it, while at most three uncompressed pieces (~2 MB) are held.
const piecesWaiting = 3;

/**
 * One long-lived zstd stream that compresses a statement's chunks, each into one zstd frame.
 *
 * Pieces are written to the stream as they are cut, compressed on libuv's thread pool while the
 * next ones are rendered, and the frame is ended (`ZSTD_e_end`) when the chunk is. One frame per
 * object, because Node's zstd stream reads only the first frame of a body.
 */
export class ZstdFrames {
  private readonly engine = createZstdCompress({
    params: ingestZstdParams,
    chunkSize: 128 * 1024,
  });
  private parts: Buffer[] = [];
  private failure: Error | undefined;
  private closed = false;
  // What waits on the stream: a failed stream may never call back, so its error is passed on here.
  private readonly waiting = new Set<(error: Error) => void>();

  constructor() {
    this.engine.on('data', (part: Buffer) => this.parts.push(part));
    this.engine.on('error', (error: Error) => {
      this.failure = error;
      for (const fail of this.waiting) fail(error);
      this.waiting.clear();
    });
  }

  /** Adds `piece` to the current frame; resolves once it is compressed (it may then be reused). */
  write(piece: Buffer): Promise<void> {
    return this.wait((done) => this.engine.write(piece, (error) => done(error ?? undefined)));
  }

  /** Ends the current frame once every piece written to it is compressed, and returns it. */
  async endFrame(): Promise<Buffer> {
    await this.wait((done) => this.engine.flush(constants.ZSTD_e_end, () => done(this.failure)));
    const parts = this.parts;
    this.parts = [];
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }

  private wait(start: (done: (error: Error | undefined) => void) => void): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the zstd compressor is closed'));
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.add(reject);
      start((error) => {
        this.waiting.delete(reject);
        if (error) reject(error);
        else resolve();
      });
    });
  }

  /** Frees the stream's native memory once what was written is compressed; later writes are refused. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.engine.close();
  }
}

/**
 * A chunk compressed piece by piece into one zstd frame while it is being rendered.
 *
 * So the uncompressed chunk is never held whole, and compression runs beside the rendering on
 * whichever core is free.
 */
export class ZstdChunk implements ChunkBuilder {
  private readonly waiting: Promise<void>[] = [];
  private readonly taken = new ChunkRows();

  get rows(): number {
    return this.taken.count;
  }

  /** `frames` is shared by the chunks of one statement, one chunk after another. */
  constructor(private readonly frames: ZstdFrames) {}

  async add(piece: RenderedChunk): Promise<void> {
    this.taken.add(piece);
    const written = this.frames.write(piece.body).then(() => piece.release());
    // Handled here so that a failure is not unhandled while it waits its turn; finish() reports it.
    written.catch(() => undefined);
    this.waiting.push(written);
    if (this.waiting.length > piecesWaiting) await this.waiting.shift();
  }

  async finish(): Promise<CompressedChunk> {
    const range = this.taken.range();
    await Promise.all(this.waiting);
    return { body: await this.frames.endFrame(), ...range };
  }
}
