import type { TargetTableName } from '@totes/pipeline';
import { calendarTable, extendCalendarStatements } from './calendar-statements';
import { type DimensionStatements, dimensionStatements } from './dimension-statements';
import { type FactStatements, factStatements } from './fact-statements';
import { type ReferenceSources, type ReferenceStatements, referenceStatements } from './reference-statements';
import { type StagingStatements, stagingStatements } from './staging-statements';
import { type TableLayout, tableLayout } from './table-layout';

/** Every statement the loader runs for one warehouse table, built once from its layout. */
export interface TableStatements {
  readonly layout: TableLayout;
  readonly staging: StagingStatements;
  /** Facts only. */
  readonly fact?: FactStatements;
  /** Facts only: one check per referenced dimension, dim_date last (after it is extended). */
  readonly references: readonly ReferenceStatements[];
  /** Facts referencing days only. */
  readonly extendCalendar?: ReferenceSources;
  /** Dimensions only. */
  readonly dimension?: DimensionStatements;
}

const built = new Map<TargetTableName, TableStatements>();

/** The {@link TableStatements} of a warehouse table. */
export function tableStatements(table: TargetTableName): TableStatements {
  const cached = built.get(table);
  if (cached) return cached;
  const layout = tableLayout(table);
  const isFact = layout.kind === 'fact';
  const extendCalendar = isFact ? extendCalendarStatements(layout) : undefined;
  const references = layout.references
    .toSorted((a, b) => Number(a.dimension === calendarTable) - Number(b.dimension === calendarTable))
    .map((reference) => referenceStatements(layout, reference));
  const statements: TableStatements = {
    layout,
    staging: stagingStatements(layout),
    references,
    ...(isFact ? { fact: factStatements(layout) } : { dimension: dimensionStatements(layout) }),
    ...(extendCalendar === undefined ? {} : { extendCalendar }),
  };
  built.set(table, statements);
  return statements;
}
