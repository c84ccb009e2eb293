import type pg from 'pg';
import { copyObject } from '../copy/copy-object';
import type { ProcessedParquet } from '../copy/processed-parquet';
import type { TableStatements } from '../statements/table-statements';
import { type CensusResult, RowCensus } from './row-census';

/**
 * Streams an object's rows into a new staging table with one binary COPY.
 *
 * Row group by row group, inside the caller's transaction. For a fact it also takes the
 * {@link RowCensus} of the rows on the way and returns it.
 */
export async function stageObject(
  client: pg.ClientBase,
  statements: TableStatements,
  parquet: ProcessedParquet,
): Promise<CensusResult | undefined> {
  const census = statements.layout.kind === 'fact' ? new RowCensus(statements.layout) : undefined;
  await client.query(statements.staging.create);
  await copyObject(client, statements.staging.copy, parquet, census);
  return census?.result();
}
