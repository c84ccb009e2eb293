import { type SourceTableName, type TotesysRow, totesysTables } from '@totes/schema';
import { dailyActivity, type GrowingTableName, growingTables, initialDesignCount } from './daily-activity';
import { type SilentEditTable, type SomeEditRule, silentEditRules } from './edit-rules';
import { keyColumn } from './key-column';
import { parseNaiveTimestamp } from './naive-timestamp';
import { orderDraft, type ReferenceLimits } from './order-draft';
import { Random } from './random';
import { type FixedTableName, type ReferenceRows, referenceRows } from './reference-rows';
import { SimulatorError } from './simulator-error';
import { totesysProfile } from './totesys-profile';

/** What a dataset is generated from: the same options always give the same rows. */
export interface TotesysDatasetOptions {
  /** Multiplies the growing tables (designs, orders, transactions, payments); 1 = late 2024. */
  readonly scale: number;
  /** Any whole number from 0 to 2^32 − 1. */
  readonly seed: number;
}

/** Options of {@link TotesysDataset.rows}. */
export interface RowsOptions {
  /** Whether rows show their silent edits (the default) or the values they were created with. */
  readonly silentEdits?: boolean;
}

/** A synthetic totesys: every row of every table, generated on demand. */
export interface TotesysDataset extends TotesysDatasetOptions {
  /** The tables, in the order of `@totes/schema`'s declaration. */
  readonly tables: readonly SourceTableName[];
  /**
   * The rows of a table in id order, in chunks (a reference table in one, a growing table one
   * weekday at a time), generated as they are read so memory stays flat at any scale.
   */
  rows<T extends SourceTableName>(table: T, options?: RowsOptions): Iterable<readonly TotesysRow<T>[]>;
  /** Whether a row was edited after creation without its `last_updated` changing. */
  isSilentlyEdited(table: SourceTableName, id: number): boolean;
}

/** The largest scale factor accepted (about 47 million rows per unit of 1,000). */
export const maxScale = 100_000;

/** Checks dataset options, with a message that says what is wrong. */
export function checkDatasetOptions(options: TotesysDatasetOptions): void {
  const { scale, seed } = options;
  if (!(typeof scale === 'number' && Number.isFinite(scale) && scale > 0 && scale <= maxScale)) {
    throw new SimulatorError(
      `scale must be a number above 0 and at most ${maxScale} (1 = late-2024 size); got ${scale}`,
    );
  }
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffff_ffff)) {
    throw new SimulatorError(`seed must be a whole number from 0 to 4294967295; got ${seed}`);
  }
}

function isGrowing(table: SourceTableName): table is GrowingTableName {
  return (growingTables as readonly string[]).includes(table);
}

function isSilentEditTable(table: SourceTableName): table is SilentEditTable {
  return Object.hasOwn(silentEditRules, table);
}

/**
 * The synthetic totesys for a scale and seed.
 *
 * The late-2024 reference tables, and designs, orders, transactions and payments from 2022-11-03 to
 * the end of the period, with the real database's habits (weekday office hours, settlement 13–144 h
 * after an order, a few silent edits).
 */
export function totesysDataset(options: TotesysDatasetOptions): TotesysDataset {
  checkDatasetOptions(options);
  const { scale, seed } = options;
  let reference: ReferenceRows | undefined;
  const fixed = (): ReferenceRows => {
    reference ??= referenceRows(seed);
    return reference;
  };
  const limits = (): ReferenceLimits => {
    const rows = fixed();
    return {
      address: rows.address.length,
      counterparty: rows.counterparty.length,
      currency: rows.currency.length,
      staff: rows.staff.length,
      design: 0,
    };
  };

  // Silently edited rows are every n-th id from an offset that depends on the seed: at scale 1,
  // about 5 sales orders, 4 purchase orders and 4 designs.
  const editOffset = (table: SilentEditTable) =>
    Random.of(seed, 'silent-edit', table).int(1, totesysProfile.silentEditEvery[table]);
  const editOffsets = {
    sales_order: editOffset('sales_order'),
    purchase_order: editOffset('purchase_order'),
    design: editOffset('design'),
  };
  const isSilentlyEdited = (table: SourceTableName, id: number): boolean => {
    if (!isSilentEditTable(table)) return false;
    const offset = editOffsets[table];
    return id >= offset && (id - offset) % totesysProfile.silentEditEvery[table] === 0;
  };

  function withSilentEdits(table: SilentEditTable, rows: readonly Record<string, unknown>[]) {
    const rule: SomeEditRule = silentEditRules[table];
    const key = keyColumn(table);
    const referenceLimits = limits();
    return rows.map((row) => {
      const id = row[key] as number;
      if (!isSilentlyEdited(table, id)) return row;
      const random = Random.of(seed, 'silent-edit', table, id);
      // The rule belongs to this table, so the row has the shape it expects.
      return { ...row, [rule.column]: rule.change(row as never, random, referenceLimits) };
    });
  }

  function initialDesigns(): TotesysRow<'design'>[] {
    const random = Random.of(seed, 'initial-designs');
    const at = totesysProfile.referenceCreatedAt;
    const atMs = parseNaiveTimestamp(at);
    return Array.from({ length: initialDesignCount(scale) }, (_, i) => ({
      design_id: i + 1,
      created_at: at,
      ...orderDraft.design(random, atMs),
      last_updated: at,
    }));
  }

  function* tableRows(
    table: SourceTableName,
    silentEdits: boolean,
  ): Generator<readonly Record<string, unknown>[]> {
    if (!isGrowing(table)) {
      yield fixed()[table as FixedTableName];
      return;
    }
    const edit =
      silentEdits && isSilentEditTable(table)
        ? (rows: readonly Record<string, unknown>[]) => withSilentEdits(table, rows)
        : undefined;
    if (table === 'design') yield edit ? edit(initialDesigns()) : initialDesigns();
    for (const day of dailyActivity({ scale, seed, limits: limits() }, table)) yield edit ? edit(day) : day;
  }

  return {
    scale,
    seed,
    tables: Object.keys(totesysTables) as SourceTableName[],
    rows: <T extends SourceTableName>(table: T, rowOptions: RowsOptions = {}) =>
      tableRows(table, rowOptions.silentEdits ?? true) as Iterable<readonly TotesysRow<T>[]>,
    isSilentlyEdited,
  };
}
