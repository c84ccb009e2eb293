import {
  type SourceTableName,
  sourceTables,
  type TargetTableName,
  warehouseTables as topology,
} from '@totes/pipeline';
import {
  calendarRows,
  defaultCalendarRange,
  outputColumns,
  tableTransforms,
} from '@totes/transformer/mappings';
import type pg from 'pg';
import { type CanonicalRow, canonicalRow, sourceLineParser } from './canonical-row';
import { copyLines, copyRows } from './copy-lines';
import type { NaturalKey, TableDifference } from './table-difference';
import { calendarBoundsSql, sourceColumns, sourceRowsSql, warehouseRowsSql } from './verify-queries';

/** One row with its natural key. */
interface KeyedRow {
  readonly key: NaturalKey;
  readonly row: CanonicalRow;
}

/** The two databases one comparison reads, each on a connection of its own. */
export interface ComparedDatabases {
  readonly totesys: pg.ClientBase;
  readonly warehouse: pg.ClientBase;
}

const sampleSize = 5;

/**
 * Reads rows one at a time from an iterator of pages: `current` is the row at hand, `advance()`
 * moves on without waiting while the page lasts, `fill()` waits for the next page. The next page
 * is asked for as soon as one is taken, so that both sides of a comparison read and parse while
 * the other is compared (memory: two pages a side).
 */
class RowReader<T> {
  private page: readonly T[] = [];
  private at = 0;
  private next: Promise<IteratorResult<readonly T[]>> | undefined;
  done = false;
  constructor(private readonly pages: AsyncIterator<readonly T[]>) {}

  /** The row at hand; undefined when the page is used up (then `fill()`) or the rows are (`done`). */
  get current(): T | undefined {
    return this.page[this.at];
  }

  advance(): void {
    this.at += 1;
  }

  /** Reads pages until there is a row at hand or none is left. */
  async fill(): Promise<void> {
    while (!this.done && this.at >= this.page.length) {
      const result = await (this.next ?? this.pages.next());
      this.next = undefined;
      if (result.done) this.done = true;
      else {
        this.page = result.value;
        this.at = 0;
        this.next = this.pages.next();
        // A failure is met when that page is awaited, in fill(); until then it is not unhandled.
        this.next.catch(() => {});
      }
    }
  }

  async close(): Promise<void> {
    // A generator runs one step at a time: the page asked for ahead is settled before returning.
    await this.next?.catch(() => {});
    await this.pages.return?.();
  }
}

const naturalKeyOf = (table: TargetTableName) => topology[table].naturalKey as string;

/**
 * What the source makes of a warehouse table, in natural-key order, mapped by the transformer's
 * own mappings: row by row from the input's rows in key order (facts, dim_transaction), rebuilt
 * whole from the complete inputs (the other dimensions, a few thousand rows at most), or the
 * calendar over the days dim_date should cover.
 */
async function* expectedRows(
  table: TargetTableName,
  databases: ComparedDatabases,
): AsyncGenerator<KeyedRow[]> {
  const canonical = canonicalRow(outputColumns(table));
  const naturalKey = naturalKeyOf(table);
  const keyed = (row: Readonly<Record<string, unknown>>): KeyedRow => ({
    key: row[naturalKey] as NaturalKey,
    row: canonical(row),
  });
  const transform = tableTransforms[table];
  if (transform.kind === 'rows') {
    const input = topology[table].inputs[0] as SourceTableName;
    const parse = sourceLineParser(sourceColumns(input));
    // The row schema and the mapping are chosen by the same table, as the transformer chooses them.
    const map = transform.map as (row: unknown) => Readonly<Record<string, unknown>>;
    yield* copyLines(databases.totesys, sourceRowsSql(input, sourceTables[input].key), (line) =>
      keyed(map(parse(line))),
    );
    return;
  }
  if (transform.kind === 'rebuild') {
    const inputs: Record<string, unknown[]> = {};
    for (const input of topology[table].inputs as readonly SourceTableName[]) {
      const parse = sourceLineParser(sourceColumns(input));
      const rows: Record<string, unknown>[] = [];
      for await (const page of copyLines(
        databases.totesys,
        sourceRowsSql(input, sourceTables[input].key),
        parse,
      ))
        rows.push(...page);
      inputs[input] = rows;
    }
    const build = transform.build as (snapshots: unknown) => Readonly<Record<string, unknown>>[];
    yield build(inputs)
      .map(keyed)
      .sort((a, b) => (a.key as number) - (b.key as number));
    return;
  }
  const [bounds] = await copyRows(databases.warehouse, calendarBoundsSql());
  const first = [bounds?.[0], defaultCalendarRange.from].filter((day) => day != null).sort()[0] as string;
  const last = [bounds?.[1], defaultCalendarRange.to]
    .filter((day) => day != null)
    .sort()
    .at(-1) as string;
  yield calendarRows(first, last).map(keyed);
}

/** The warehouse table's rows grouped by natural key (a fact's versions, oldest first). */
async function* warehouseGroups(
  table: TargetTableName,
  databases: ComparedDatabases,
): AsyncGenerator<{ key: NaturalKey; rows: CanonicalRow[] }[]> {
  const numeric = table !== 'dim_date';
  let open: { key: NaturalKey; rows: CanonicalRow[] } | undefined;
  const lines = copyLines(databases.warehouse, warehouseRowsSql(table), (line) => line);
  for await (const page of lines) {
    const groups: { key: NaturalKey; rows: CanonicalRow[] }[] = [];
    for (const line of page) {
      const tab = line.indexOf('\t');
      const text = line.slice(0, tab);
      const key = numeric ? Number(text) : text;
      const row = line.slice(tab + 1);
      if (open && open.key === key) {
        open.rows.push(row);
        continue;
      }
      if (open) groups.push(open);
      open = { key, rows: [row] };
    }
    // The last group of a page may go on in the next one.
    yield groups;
  }
  if (open) yield [open];
}

/**
 * Compares one warehouse table with what the source makes of it, by SPEC.md's rules.
 *
 * One merge join over both sides streamed in natural-key order: a dimension row for row; a fact's
 * latest version per source row equal to the source's current values, with no natural key missing
 * or extra and no version held twice. Memory stays bounded by a page per side (and the inputs of a
 * rebuilt dimension).
 */
export async function compareTable(
  table: TargetTableName,
  databases: ComparedDatabases,
): Promise<TableDifference> {
  const samples = {
    missing: [] as NaturalKey[],
    extra: [] as NaturalKey[],
    different: [] as NaturalKey[],
    duplicateVersions: [] as NaturalKey[],
  };
  const counts = { missing: 0, extra: 0, different: 0, duplicateVersions: 0 };
  const note = (kind: keyof typeof counts, key: NaturalKey) => {
    counts[kind] += 1;
    if (samples[kind].length < sampleSize) samples[kind].push(key);
  };
  let expectedCount = 0;
  let warehouseCount = 0;
  const expected = new RowReader(expectedRows(table, databases));
  const actual = new RowReader(warehouseGroups(table, databases));
  try {
    for (;;) {
      if (expected.current === undefined) await expected.fill();
      if (actual.current === undefined) await actual.fill();
      const source = expected.current;
      const group = actual.current;
      if (!source && !group) break;
      if (group && (!source || group.key < source.key)) {
        note('extra', group.key);
        warehouseCount += group.rows.length;
        actual.advance();
      } else if (source && (!group || source.key < group.key)) {
        note('missing', source.key);
        expectedCount += 1;
        expected.advance();
      } else if (source && group) {
        expectedCount += 1;
        warehouseCount += group.rows.length;
        if (group.rows.at(-1) !== source.row) note('different', source.key);
        if (group.rows.length > 1 && new Set(group.rows).size < group.rows.length) {
          note('duplicateVersions', group.key);
        }
        expected.advance();
        actual.advance();
      }
    }
  } catch (error) {
    return {
      table,
      expectedRows: expectedCount,
      warehouseRows: warehouseCount,
      ...counts,
      samples,
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    await expected.close();
    await actual.close();
  }
  return { table, expectedRows: expectedCount, warehouseRows: warehouseCount, ...counts, samples };
}
