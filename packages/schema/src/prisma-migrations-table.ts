import { z } from 'zod';
import { column } from './column';

/**
 * Prisma's migration ledger, `_prisma_migrations`, which exists in totesys in Prisma's standard shape.
 *
 * Declared so that the DDL can be checked against it; the pipeline never ingests it, which is why
 * it is not one of the {@link totesysTables}.
 */
export const prismaMigrationsTable = z.object({
  id: column.varchar(36),
  checksum: column.varchar(64),
  finished_at: column.timestamptz().nullable(),
  migration_name: column.varchar(255),
  logs: column.text().nullable(),
  rolled_back_at: column.timestamptz().nullable(),
  started_at: column.withDefault(column.timestamptz()),
  applied_steps_count: column.withDefault(column.integer()),
});
