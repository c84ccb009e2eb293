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

/** A connection to each database, or none (the one that opened is closed) and the failure. */
async function connectBoth(urls: DatabaseUrls): Promise<{ totesys: pg.Client; warehouse: pg.Client }> {
  const [totesys, warehouse] = await Promise.allSettled([
    connect(urls.totesysUrl),
    connect(urls.warehouseUrl),
  ]);
  if (totesys.status === 'fulfilled' && warehouse.status === 'fulfilled') {
    return { totesys: totesys.value, warehouse: warehouse.value };
  }
  for (const opened of [totesys, warehouse]) if (opened.status === 'fulfilled') await opened.value.end();
  throw totesys.status === 'rejected' ? totesys.reason : (warehouse as PromiseRejectedResult).reason;
}

/**
 * Compares each warehouse table with the source (see {@link compareTable}).
 *
 * `concurrency` tables at a time, each worker on two connections of its own that it keeps from table to table (a
 * connection costs a SCRAM handshake, about 5 ms of CPU in PBKDF2, for each of eleven tables);
 * a table that could not be compared leaves its connections in doubt, so the next gets new ones.
 * The largest tables (the facts, listed first in the topology) start first. Results come back in
 * the order of `tables`.
 */
export async function verifyData(
  urls: DatabaseUrls,
  tables: readonly TargetTableName[],
  concurrency = 2,
): Promise<TableDifference[]> {
  const results = new Map<TargetTableName, TableDifference>();
  const queue = [...tables];
  const worker = async () => {
    let databases: { totesys: pg.Client; warehouse: pg.Client } | undefined;
    const close = async () => {
      if (databases) await Promise.all([databases.totesys.end(), databases.warehouse.end()]);
      databases = undefined;
    };
    try {
      for (let table = queue.shift(); table; table = queue.shift()) {
        if (!databases) {
          databases = await connectBoth(urls);
        }
        const difference = await compareTable(table, databases);
        results.set(table, difference);
        if (difference.error !== undefined) await close();
      }
    } finally {
      await close();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tables.length) }, worker));
  return tables.map((table) => results.get(table) as TableDifference);
}
