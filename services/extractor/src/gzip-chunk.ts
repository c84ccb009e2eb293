import { promisify } from 'node:util';
import { gzip, type ZlibOptions } from 'node:zlib';
import type { RenderedChunk, RowPosition } from './json-lines-chunker';

/** A chunk as it is stored: one object's rows as gzip-compressed JSON Lines. */
export interface CompressedChunk {
  readonly body: Buffer;
  readonly rows: number;
  readonly first: RowPosition;
  readonly last: RowPosition;
}

// Level 1: the JSON Lines of totesys rows shrink six- to sevenfold at over 250 MB/s of one core;
// higher levels save little more for several times the CPU (docs/decisions/0001-gzip-ingest-objects.md).
// Output in large pieces, so that compressing a piece is a few round trips to the thread pool.
const options: ZlibOptions = { level: 1, chunkSize: 256 * 1024 };
const gzipAsync = promisify(gzip) as (body: Buffer, options: ZlibOptions) => Promise<Buffer>;

// Pieces compressed at once, on libuv's pool of four threads: enough to keep the second core
// busy beside the rendering and PostgreSQL, while at most three uncompressed pieces (~2 MB) wait.
const inFlight = 3;

/**
 * Compresses a chunk piece by piece while it is being rendered. Each piece becomes one gzip
 * member, compressed on libuv's thread pool as soon as it is cut, several at a time, and is
 * released once compressed; the members, concatenated in order, are one gzip file (RFC 1952
 * allows any number of members, and gunzip, zcat, Node, Python and DuckDB read them as one
 * stream). So the uncompressed chunk is never held whole, and compression runs beside the
 * rendering, on whichever core is free, instead of after it on one thread.
 */
export class GzipChunk {
  private readonly members: Promise<Buffer>[] = [];
  private first: RowPosition | undefined;
  private last: RowPosition | undefined;
  /** Rows added so far. */
  rows = 0;

  /** Adds the next piece; waits only when {@link inFlight} pieces are still being compressed. */
  async add(piece: RenderedChunk): Promise<void> {
    this.first ??= piece.first;
    this.last = piece.last;
    this.rows += piece.rows;
    const member = gzipAsync(piece.body, options).then((compressed) => {
      piece.release();
      return compressed;
    });
    // Handled here so that a failure is not unhandled while it waits its turn; finish() reports it.
    member.catch(() => undefined);
    this.members.push(member);
    if (this.members.length > inFlight) await this.members[this.members.length - 1 - inFlight];
  }

  /** Waits for every member and returns the compressed chunk; the chunk must have rows. */
  async finish(): Promise<CompressedChunk> {
    const { first, last } = this;
    if (!first || !last) throw new Error('a compressed chunk needs at least one row');
    const body = Buffer.concat(await Promise.all(this.members));
    return { body, rows: this.rows, first, last };
  }
}
