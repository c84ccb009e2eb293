import type { TargetTableName } from '@totes/pipeline';
import pg from 'pg';
import { compareTable } from './compare-table';
import type { TableDifference } from './table-difference';
import { isoDateStyle } from './verify-queries';

/** The databases the data part of verify compares. */
export interface DatabaseUrls {
  readonly totesysUrl: string;
  readonly warehouseUrl: string;
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'totes-verify' });
  await client.connect();
  await client.query(isoDateStyle);
  return client;
}

/**
 * Compares each warehouse table with the source, `concurrency` tables at a time.
 *
 * See {@link compareTable}. Each table is compared on two connections of its own; the largest
 * tables (the facts, listed first in the topology) start first. Results come back in the order of
 * `tables`.
 */
export async function verifyData(
  urls: DatabaseUrls,
  tables: readonly TargetTableName[],
  concurrency = 2,
): Promise<TableDifference[]> {
  const results = new Map<TargetTableName, TableDifference>();
  const queue = [...tables];
  const worker = async () => {
    for (let table = queue.shift(); table; table = queue.shift()) {
      const [totesys, warehouse] = await Promise.all([connect(urls.totesysUrl), connect(urls.warehouseUrl)]);
      try {
        results.set(table, await compareTable(table, { totesys, warehouse }));
      } finally {
        await Promise.all([totesys.end(), warehouse.end()]);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tables.length) }, worker));
  return tables.map((table) => results.get(table) as TableDifference);
}
