import type { ExtractState, SourceTableName } from '@totes/pipeline';

/** Reads and writes the extraction state of tables (its shape and key are `@totes/pipeline`'s). */
export interface StateStore {
  read(table: SourceTableName): Promise<ExtractState>;
  write(table: SourceTableName, state: ExtractState): Promise<void>;
}
