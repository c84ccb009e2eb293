import { ByteWriter } from 'hyparquet-writer';

/**
 * A Parquet byte sink that hands its bytes out after every row group.
 *
 * Instead of growing one buffer for the whole file, so a file of any size streams out in
 * row-group-sized chunks. The writer calls `flush` after each row group and `finish` after the
 * footer.
 */
export class ChunkWriter extends ByteWriter {
  #chunks: Uint8Array[] = [];

  /** Moves the bytes written so far into the chunks to take; `offset` keeps counting. */
  flush(): void {
    if (this.index === 0) return;
    this.#chunks.push(new Uint8Array(this.buffer.slice(0, this.index)));
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }

  /** The chunks flushed since the last call, in order. */
  take(): Uint8Array[] {
    const chunks = this.#chunks;
    this.#chunks = [];
    return chunks;
  }
}
