import type { RenderedChunk, RowPosition } from './json-lines-chunker';

/** Where a chunk's rows start and end, and how many there are. */
export interface ChunkRange {
  readonly rows: number;
  readonly first: RowPosition;
  readonly last: RowPosition;
}

/** The rows a chunk has taken so far, piece by piece. */
export class ChunkRows {
  private first: RowPosition | undefined;
  private last: RowPosition | undefined;
  count = 0;

  add(piece: RenderedChunk): void {
    this.first ??= piece.first;
    this.last = piece.last;
    this.count += piece.rows;
  }

  /** The range of the rows taken; a chunk without rows has none, and throws. */
  range(): ChunkRange {
    const { first, last } = this;
    if (!first || !last) throw new Error('a compressed chunk needs at least one row');
    return { rows: this.count, first, last };
  }
}
