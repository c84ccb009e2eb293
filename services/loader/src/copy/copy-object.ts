import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RowCensus } from '../merge/row-census';
import { CopyBinaryWriter, copyBinaryHeader, copyBinaryTrailer } from './copy-binary-writer';
import type { ProcessedParquet } from './processed-parquet';
import { rowGarbage } from './row-garbage';

// Bytes per write to the COPY stream: large enough to keep per-write overhead small, small
// enough that the chunks in flight stay a few hundred kilobytes.
const copyChunkBytes = 256 * 1024;

async function* copyBinary(
  parquet: ProcessedParquet,
  census: RowCensus | undefined,
): AsyncGenerator<Buffer, void, undefined> {
  const writer = new CopyBinaryWriter(copyChunkBytes);
  const { fields } = parquet;
  const width = fields.length;
  yield copyBinaryHeader;
  for await (const group of parquet.rowGroups()) {
    // What the rows before this group left behind is freed before it adds up, so the peak memory
    // of a load does not grow with its object.
    rowGarbage.collectIfDue();
    rowGarbage.left(group.rows);
    census?.observe(group.columns, 0, group.rows);
    const { columns } = group;
    for (let row = 0; row < group.rows; row += 1) {
      writer.row(width);
      for (let index = 0; index < width; index += 1) {
        (fields[index] as (typeof fields)[number])(writer, (columns[index] as ArrayLike<unknown>)[row]);
      }
      if (writer.size >= copyChunkBytes) {
        const chunk = writer.take();
        if (chunk) yield chunk;
      }
    }
  }
  const rest = writer.take();
  if (rest) yield rest;
  yield copyBinaryTrailer;
}

/**
 * Streams an object's rows through one binary `COPY … FROM STDIN`, row group by row group.
 *
 * `copy`'s columns are the object's; the rows are noted in `census` on the way.
 */
export async function copyObject(
  client: pg.ClientBase,
  copy: string,
  parquet: ProcessedParquet,
  census?: RowCensus,
): Promise<void> {
  // One chunk read ahead, not Readable.from's default of sixteen: memory stays flat.
  const rows = Readable.from(copyBinary(parquet, census), { highWaterMark: 1 });
  await pipeline(rows, client.query(copyFrom(copy)));
  rowGarbage.collectIfDue();
}
