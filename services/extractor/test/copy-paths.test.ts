import { readFile } from 'node:fs/promises';
import { zstdDecompressSync } from 'node:zlib';
import { type SourceTableName, sourceTableNames } from '@totes/pipeline';
import { connectPostgres, isReadBufferSocket } from '@totes/runtime/database';
import type pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { rowFormat } from '../src/copy/row-format';
import { quoteIdentifier } from '../src/copy/source-queries';
import { openTotesysSource, type TotesysSource } from '../src/copy/totesys-source';
import { type Totesys, useExtractorTestbed } from './extractor-testbed';

const socketOf = (client: pg.Client) =>
  (client as unknown as { connection: { stream: unknown } }).connection.stream;

/** `COPY (SELECT <the table's columns> FROM <from>) TO STDOUT`. */
function copyOf(table: SourceTableName, from: string): string {
  const columns = rowFormat(table)
    .columns.map((column) => quoteIdentifier(column.name))
    .join(', ');
  return `COPY (SELECT ${columns} FROM ${from}) TO STDOUT`;
}

// Every sales order 200 times over (44k rows here): a COPY that takes many reads of the socket.
const manySalesOrders = copyOf(
  'sales_order',
  '(SELECT s.* FROM sales_order s, generate_series(1, 200) g OFFSET 0) x',
);

// The extractor reads COPY in place on connections without TLS, and through pg-copy-streams on
// the ones pg wraps in TLS. Both must write the same objects, and fail and stop alike.
describe('COPY read in place and through pg-copy-streams', () => {
  const testbed = useExtractorTestbed();
  // The simulator's rows, and (in a totesys of their own) the awkward ones: escapes, NULLs,
  // Unicode, trailing zeros.
  let totesys: Totesys;
  let awkward: Totesys;

  beforeAll(async () => {
    totesys = await testbed.totesys({ scale: 0.02 });
    awkward = await testbed.totesys();
    await awkward.client.query(
      await readFile(new URL('./fixtures/awkward-rows.sql', import.meta.url), 'utf8'),
    );
  });

  async function inPlace(database = totesys): Promise<pg.Client> {
    const client = await connectPostgres(database.url, {
      statementTimeoutMs: 60_000,
      applicationName: 'copy-paths-test',
      readBuffer: true,
    });
    expect(isReadBufferSocket(socketOf(client))).toBe(true);
    return client;
  }

  async function streamed(database = totesys): Promise<pg.Client> {
    const client = await connectPostgres(database.url, {
      statementTimeoutMs: 60_000,
      applicationName: 'copy-paths-test',
    });
    expect(isReadBufferSocket(socketOf(client))).toBe(false);
    return client;
  }

  const paths = [
    ['in place', inPlace],
    ['through pg-copy-streams', streamed],
  ] as const;

  /** Every chunk of `copy` with `chunkRows` rows, decompressed. */
  async function chunksOf(source: TotesysSource, copy: string, chunkRows: number): Promise<string[]> {
    const bodies: string[] = [];
    await source.transaction('read committed', async () => {
      for await (const chunk of source.chunks(copy, {}, chunkRows)) {
        bodies.push(zstdDecompressSync(chunk.body).toString());
      }
    });
    return bodies;
  }

  it('writes the same chunks either way, for every table, awkward values included', async () => {
    const [fast, plain] = [await inPlace(awkward), await streamed(awkward)];
    const seeded = await inPlace();
    try {
      for (const table of sourceTableNames) {
        const format = rowFormat(table);
        const copy = copyOf(table, `${quoteIdentifier(table)} ORDER BY 1`);
        const ours = await chunksOf(await openTotesysSource(fast, format, 'zstd'), copy, 97);
        const theirs = await chunksOf(await openTotesysSource(plain, format, 'zstd'), copy, 97);
        expect(ours.length, table).toBeGreaterThan(0);
        expect(ours, table).toEqual(theirs);
      }
      const many = await chunksOf(
        await openTotesysSource(seeded, rowFormat('sales_order'), 'zstd'),
        manySalesOrders,
        5_000,
      );
      expect(many.join('').split('\n').length - 1).toBe(
        200 * Number((await totesys.client.query('SELECT count(*) AS n FROM sales_order')).rows[0].n),
      );
    } finally {
      await fast.end();
      await plain.end();
      await seeded.end();
    }
  });

  for (const [path, connect] of paths) {
    it(`fails with the statement's error when it fails part-way, leaving the connection in step (${path})`, async () => {
      const client = await connect();
      const source = await openTotesysSource(client, rowFormat('sales_order'), 'zstd');
      // In key order, then the 40th copy of the first row divides by zero.
      const failing = copyOf(
        'sales_order',
        '(SELECT s.*, g FROM sales_order s, generate_series(1, 50) g ORDER BY g, s.sales_order_id OFFSET 0) x' +
          ' WHERE 1 / (CASE WHEN g = 40 THEN 0 ELSE 1 END) = 1',
      );
      let chunksBefore = 0;
      const reading = source.transaction('read committed', async () => {
        for await (const _ of source.chunks(failing, {}, 1_000)) chunksBefore += 1;
      });

      await expect(reading).rejects.toThrow('division by zero');
      expect(chunksBefore).toBeGreaterThan(0);
      // The source gives the connection up after a failed COPY, but pg has read the error to its
      // end: the connection is in step and answers.
      await client.query('ROLLBACK');
      expect((await client.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
      await client.end();
    });

    it(`closes at once when left part-way (${path})`, async () => {
      const client = await connect();
      const source = await openTotesysSource(client, rowFormat('sales_order'), 'zstd');
      let taken = 0;
      await source.transaction('read committed', async () => {
        for await (const _ of source.chunks(manySalesOrders, {}, 1_000)) {
          taken += 1;
          if (taken === 2) break;
        }
      });

      expect(taken).toBe(2);
      const started = performance.now();
      await source.close();
      expect(performance.now() - started).toBeLessThan(5_000);
    });
  }
});
