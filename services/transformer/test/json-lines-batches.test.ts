import { MalformedObjectError } from '@totes/pipeline';
import { totesysTables } from '@totes/schema';
import { describe, expect, it } from 'vitest';
import { jsonLinesBatches } from '../src/json-lines-batches';
import { fixtureRow, jsonLines } from './fixtures';

const key = 'currency/snapshots/20241104T091502345-0123456789abcdef.jsonl';

async function screen(chunks: (string | Uint8Array)[]) {
  const all = { rows: [] as unknown[], lines: [] as number[], quarantined: [] as unknown[] };
  for await (const batch of jsonLinesBatches(
    chunks as AsyncIterable<string> & never,
    totesysTables.currency,
    {
      key,
      table: 'currency',
    },
  )) {
    all.rows.push(...batch.rows);
    all.lines.push(...batch.lines);
    all.quarantined.push(...batch.quarantined);
  }
  return all;
}

const readAll = async (chunks: (string | Uint8Array)[]) => (await screen(chunks)).rows;

async function failure(chunks: string[]): Promise<MalformedObjectError> {
  try {
    await readAll(chunks);
  } catch (error) {
    if (error instanceof MalformedObjectError) return error;
    throw error;
  }
  throw new Error('expected the object to be refused');
}

const gbp = fixtureRow('currency', 0);
const usd = fixtureRow('currency', 1);

describe('jsonLinesBatches', () => {
  it('reads validated rows, whatever the chunk boundaries', async () => {
    const text = jsonLines([gbp, usd]);
    expect(await readAll([text])).toEqual([gbp, usd]);
    expect(await readAll([text.slice(0, 7), text.slice(7, 80), text.slice(80)])).toEqual([gbp, usd]);
  });

  it('reads a last line without a newline and skips blank lines', async () => {
    expect(await readAll([`\n${JSON.stringify(gbp)}\n\n${JSON.stringify(usd)}`])).toEqual([gbp, usd]);
  });

  it('keeps a multi-byte character split across two chunks', async () => {
    const bytes = Buffer.from(jsonLines([{ ...gbp, currency_code: '£€' }]));
    const split = bytes.indexOf(0xa3); // the second byte of '£'
    const rows = await readAll([bytes.subarray(0, split), bytes.subarray(split)]);
    expect(rows).toEqual([{ ...gbp, currency_code: '£€' }]);
  });

  it('refuses a line that is not JSON, naming the object and the line', async () => {
    const error = await failure([jsonLines([gbp]), '{"currency_id": 2,\n']);
    expect(error.key).toBe(key);
    expect(error.line).toBe(2);
    expect(error.message).toMatch(new RegExp(`^${key}, line 2: not JSON`));
  });

  it('quarantines a row that fails the schema, naming its line, column, value and reason, and keeps the others', async () => {
    const euro = { ...usd, currency_id: 3, currency_code: 'EURO' };
    const screened = await screen([jsonLines([gbp, euro, usd])]);
    expect(screened.rows).toEqual([gbp, usd]);
    expect(screened.lines).toEqual([1, 3]);
    expect(screened.quarantined).toEqual([
      {
        sourceTable: 'currency',
        sourceId: 3,
        objectKey: key,
        line: 2,
        column: 'currency_code',
        value: '"EURO"',
        reason: expect.stringContaining('currency_code'),
      },
    ]);
  });

  it('quarantines a NULL where a value is required, with the value null', async () => {
    const screened = await screen([jsonLines([{ ...gbp, currency_code: null }])]);
    expect(screened.rows).toEqual([]);
    expect(screened.quarantined).toMatchObject([
      { sourceId: 1, line: 1, column: 'currency_code', value: 'null' },
    ]);
  });

  it('refuses a row without a whole-number primary key: it is no source row to quarantine', async () => {
    const error = await failure([jsonLines([gbp, { ...usd, currency_id: '2' }])]);
    expect(error.line).toBe(2);
    expect(error.message).toContain('no whole-number currency_id');
  });

  it('counts blank lines in the line numbers', async () => {
    const error = await failure([`${JSON.stringify(gbp)}\n\n{"oops"}\n`]);
    expect(error.line).toBe(3);
  });
});
