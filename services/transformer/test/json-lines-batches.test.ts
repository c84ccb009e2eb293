import { MalformedObjectError } from '@totes/runtime';
import { totesysTables } from '@totes/schema';
import { describe, expect, it } from 'vitest';
import { jsonLinesBatches } from '../src/index';
import { fixtureRow, jsonLines } from './fixtures';

const key = 'currency/snapshots/20241104T091502345-0123456789abcdef.jsonl';

async function readAll(chunks: (string | Uint8Array)[]) {
  const rows: unknown[] = [];
  for await (const batch of jsonLinesBatches(
    chunks as AsyncIterable<string> & never,
    totesysTables.currency,
    key,
  ))
    rows.push(...batch);
  return rows;
}

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

  it('refuses a row that fails the schema, naming the line and the column', async () => {
    const error = await failure([jsonLines([gbp, usd, { ...usd, currency_id: 3, currency_code: 'EURO' }])]);
    expect(error.line).toBe(3);
    expect(error.message).toContain('currency_code');
  });

  it('counts blank lines in the line numbers', async () => {
    const error = await failure([`${JSON.stringify(gbp)}\n\n{"oops"}\n`]);
    expect(error.line).toBe(3);
  });
});
