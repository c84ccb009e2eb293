import { type TargetTableName, warehouseTableNames } from '@totes/pipeline';
import { expect } from 'vitest';
import { duplicateVersions, warehouseExpectations } from './warehouse-expectations';
import { query, rowSet } from './warehouse-queries';

/**
 * Expects the warehouse to hold what the spec's rules make of the source.
 *
 * Each table of `tables` (every warehouse table by default) row for row against its SQL
 * computation over totesys, and, when every table is checked, no fact version held twice.
 */
export async function expectWarehouseToMatchSource(
  totesysUrl: string,
  warehouseUrl: string,
  tables: readonly TargetTableName[] = warehouseTableNames,
): Promise<void> {
  for (const table of tables) {
    const expected = warehouseExpectations[table];
    expect(await rowSet(warehouseUrl, expected.warehouse), table).toEqual(
      await rowSet(totesysUrl, expected.source),
    );
  }
  if (tables !== warehouseTableNames) return;
  for (const [fact, sql] of Object.entries(duplicateVersions)) {
    expect((await query<{ n: number }>(warehouseUrl, sql))[0]?.n, `identical versions in ${fact}`).toBe(0);
  }
}
