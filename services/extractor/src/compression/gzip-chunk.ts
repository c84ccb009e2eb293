import { ChunkRows } from '../copy/chunk-rows';
import type { RenderedChunk } from '../copy/json-lines-chunker';
import type { ChunkBuilder, CompressedChunk } from './compressed-chunk';
import type { GzipMembers } from './gzip-members';

/**
 * Pieces compressed at once, on libuv's pool of four threads.
 *
 * Enough to keep the second core busy beside the rendering and PostgreSQL, while at most three
 * uncompressed pieces (~2 MB) wait.
 */
export const piecesInFlight = 3;

/**
 * Compresses a chunk piece by piece while it is being rendered.
 *
 * Each piece becomes one gzip member, compressed on libuv's thread pool as soon as it is cut,
 * several at a time, and is released once compressed; the members, concatenated in order, are one
 * gzip file (RFC 1952 allows any number of members, and gunzip, zcat, Node, Python and DuckDB read
 * them as one stream). So the uncompressed chunk is never held whole, and compression runs beside
 * the rendering, on whichever core is free, instead of after it on one thread.
 */
export class GzipChunk implements ChunkBuilder {
  private readonly members: Promise<Buffer>[] = [];
  private readonly taken = new ChunkRows();

  /** Rows added so far. */
  get rows(): number {
    return this.taken.count;
  }

  /** `compressor` is shared by the chunks of one statement, one chunk after another. */
  constructor(private readonly compressor: GzipMembers) {}

  /** Adds the next piece; waits only when {@link piecesInFlight} pieces are still being compressed. */
  async add(piece: RenderedChunk): Promise<void> {
    this.taken.add(piece);
    const member = this.compressor.compress(piece.body).then((compressed) => {
      piece.release();
      return compressed;
    });
    // Handled here so that a failure is not unhandled while it waits its turn; finish() reports it.
    member.catch(() => undefined);
    this.members.push(member);
    if (this.members.length > piecesInFlight) await this.members[this.members.length - 1 - piecesInFlight];
  }

  /** Waits for every member and returns the compressed chunk; the chunk must have rows. */
  async finish(): Promise<CompressedChunk> {
    const range = this.taken.range();
    return { body: Buffer.concat(await Promise.all(this.members)), ...range };
  }
}
