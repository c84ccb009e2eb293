import { useTestDatabase } from '@totes/test-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyLines, copyRows } from '../src/verify/copy-lines';

describe('reading a query with COPY', () => {
  const database = useTestDatabase('cli_copy');
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
  });

  it('gives every row as fields: text, null for NULL, escapes undone', async () => {
    const rows = await copyRows(
      client,
      `SELECT * FROM (VALUES (1, 'plain', NULL), (2, E'tab\\there', E'two\\nlines'), (3, E'back\\\\slash', '')) AS t(id, a, b) ORDER BY id`,
    );
    expect(rows).toEqual([
      ['1', 'plain', null],
      ['2', 'tab\there', 'two\nlines'],
      ['3', 'back\\slash', ''],
    ]);
  });

  it('streams a large result in batches, every line once and whole, in order', async () => {
    const batches: number[][] = [];
    for await (const batch of copyLines(
      client,
      'SELECT g, repeat($$x$$, 50) FROM generate_series(1, 20000) AS g',
      (line) => Number(line.split('\t')[0]),
    ))
      batches.push(batch);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.flat()).toEqual(Array.from({ length: 20_000 }, (_, index) => index + 1));
  });

  it('keeps characters of several bytes whole, wherever a chunk of the server ends', async () => {
    const text = 'ü€𝄞'.repeat(30);
    const lines: string[] = [];
    for await (const batch of copyLines(
      client,
      `SELECT g, repeat('ü€𝄞', 30) FROM generate_series(1, 5000) AS g`,
      (line) => line,
    ))
      lines.push(...batch);
    expect(lines).toEqual(Array.from({ length: 5000 }, (_, index) => `${index + 1}\t${text}`));
  });

  it('gives nothing for an empty result', async () => {
    expect(await copyRows(client, 'SELECT 1 WHERE false')).toEqual([]);
  });
});
