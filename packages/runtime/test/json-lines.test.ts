import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MalformedObjectError, readJsonLines, toJsonLines } from '../src/index';

const Row = z.object({ id: z.int(), price: z.string().regex(/^\d+\.\d{2}$/) });

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

describe('JSON Lines', () => {
  it('writes one JSON object per line and reads the same rows back', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ id: i, price: `${i}.50` }));
    const body = await text(toJsonLines(rows));
    expect(body.split('\n')).toHaveLength(20_001);
    expect(await collect(readJsonLines(Readable.from([body]), Row, 'k'))).toEqual(rows);
  });

  it('writes nothing for no rows', async () => {
    expect(await text(toJsonLines([]))).toBe('');
  });

  it('names the object, line and reason of a line that is not JSON', async () => {
    const body = Readable.from(['{"id":1,"price":"1.00"}\n{"id":2,\n']);
    const reading = collect(readJsonLines(body, Row, 'sales_order/changes/x.jsonl'));
    await expect(reading).rejects.toThrow(MalformedObjectError);
    await expect(
      collect(readJsonLines(Readable.from(['{"id":1,"price":"1.00"}\n{"id":2,\n']), Row, 'obj')),
    ).rejects.toThrow(/^obj, line 2: not JSON/);
  });

  it('names the line and the field of a row that fails its schema', async () => {
    const body = Readable.from(['{"id":1,"price":"1.00"}\n\n{"id":3,"price":2.5}\n']);
    await expect(collect(readJsonLines(body, Row, 'obj'))).rejects.toThrow(/obj, line 3: .*price/);
  });
});
