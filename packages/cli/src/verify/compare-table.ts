import {
  type SourceTableName,
  sourceTables,
  type TargetTableName,
  warehouseTables as topology,
} from '@totes/pipeline';
import { calendarRows, defaultCalendarRange, tableTransforms } from '@totes/transformer/mappings';
import type pg from 'pg';
import { rowMatcher, sourceLineParser } from './canonical-row';
import { copyLines, copyRows } from './copy-lines';
import type { NaturalKey, TableDifference } from './table-difference';
import {
  calendarBoundsSql,
  sourceColumns,
  sourceRowsSql,
  warehouseColumns,
  warehouseRowsSql,
} from './verify-queries';

/** A row as the transformer's mapping returns it. */
type OutputRecord = Readonly<Record<string, unknown>>;

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
 * What the source makes of a warehouse table, in natural-key order: pages of items, and how an
 * item becomes its mapped row. Rows mapped one by one are mapped only when the comparison comes
 * to them, so that a page waiting its turn holds its lines alone.
 */
interface ExpectedRows {
  readonly pages: AsyncGenerator<readonly unknown[]>;
  readonly resolve: (item: unknown) => OutputRecord;
}

/** A dimension rebuilt whole from its complete inputs (a few thousand rows at most), or dim_date. */
async function* wholeTable(
  table: TargetTableName,
  databases: ComparedDatabases,
): AsyncGenerator<OutputRecord[]> {
  const naturalKey = naturalKeyOf(table);
  const transform = tableTransforms[table];
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
    const build = transform.build as (snapshots: unknown) => OutputRecord[];
    yield build(inputs).sort((a, b) => (a[naturalKey] as number) - (b[naturalKey] as number));
    return;
  }
  const [bounds] = await copyRows(databases.warehouse, calendarBoundsSql());
  const first = [bounds?.[0], defaultCalendarRange.from].filter((day) => day != null).sort()[0] as string;
  const last = [bounds?.[1], defaultCalendarRange.to]
    .filter((day) => day != null)
    .sort()
    .at(-1) as string;
  yield calendarRows(first, last);
}

/**
 * What the source makes of a warehouse table, mapped by the transformer's own mappings: row by
 * row from the input's rows in key order (facts, dim_transaction), rebuilt whole from the
 * complete inputs (the other dimensions), or the calendar over the days dim_date should cover.
 */
function expectedRows(table: TargetTableName, databases: ComparedDatabases): ExpectedRows {
  const transform = tableTransforms[table];
  if (transform.kind !== 'rows')
    return { pages: wholeTable(table, databases), resolve: (row) => row as OutputRecord };
  const input = topology[table].inputs[0] as SourceTableName;
  const parse = sourceLineParser(sourceColumns(input));
  // The row schema and the mapping are chosen by the same table, as the transformer chooses them.
  const map = transform.map as (row: unknown) => OutputRecord;
  return {
    pages: copyLines(databases.totesys, sourceRowsSql(input, sourceTables[input].key), (line) => line),
    resolve: (line) => map(parse(line as string)),
  };
}

/** The natural key a warehouse line starts with: an integer, parsed in place. */
function integerKey(line: string): NaturalKey {
  const negative = line.charCodeAt(0) === 45;
  let value = 0;
  for (let index = negative ? 1 : 0; index < line.length; index += 1) {
    const digit = line.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

/** dim_date's natural key, its `YYYY-MM-DD`. */
function textKey(line: string): NaturalKey {
  const tab = line.indexOf('\t');
  return tab < 0 ? line : line.slice(0, tab);
}

/**
 * Compares one warehouse table with what the source makes of it, by SPEC.md's rules.
 *
 * One merge join over both sides streamed in natural-key order: a dimension row for row; a fact's
 * latest version per source row equal to the source's current values, with no natural key
 * missing or extra and no version held twice. The warehouse's lines are compared as they
 * arrive, field by field (see {@link rowMatcher}); a fact's versions are kept only for a natural
 * key the warehouse holds more than once. Memory stays bounded by two pages per side (and the inputs of
 * a rebuilt dimension).
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
  const naturalKey = naturalKeyOf(table);
  const matches = rowMatcher(warehouseColumns(table));
  const keyOf = table === 'dim_date' ? textKey : integerKey;
  const source = expectedRows(table, databases);
  const expected = new RowReader(source.pages);
  const actual = new RowReader(copyLines(databases.warehouse, warehouseRowsSql(table), (line) => line));
  /** Takes the warehouse's lines of one natural key: how many, the last, and all when several. */
  const takeGroup = async (key: NaturalKey) => {
    let last = actual.current as string;
    let count = 1;
    let versions: string[] | undefined;
    actual.advance();
    for (;;) {
      if (actual.current === undefined) await actual.fill();
      const next = actual.current;
      if (next === undefined || keyOf(next) !== key) break;
      versions ??= [last];
      versions.push(next);
      last = next;
      count += 1;
      actual.advance();
    }
    warehouseCount += count;
    return { last, versions };
  };
  let output: OutputRecord | undefined;
  try {
    for (;;) {
      if (expected.current === undefined) await expected.fill();
      if (actual.current === undefined) await actual.fill();
      const item = expected.current;
      const line = actual.current;
      if (item === undefined && line === undefined) break;
      if (item !== undefined) output ??= source.resolve(item);
      const sourceKey = output?.[naturalKey] as NaturalKey | undefined;
      if (output && sourceKey == null) throw new Error(`a mapped ${table} row has no ${naturalKey}`);
      const warehouseKey = line === undefined ? undefined : keyOf(line);
      if (warehouseKey !== undefined && (sourceKey === undefined || warehouseKey < sourceKey)) {
        note('extra', warehouseKey);
        await takeGroup(warehouseKey);
      } else if (sourceKey !== undefined && (warehouseKey === undefined || sourceKey < warehouseKey)) {
        note('missing', sourceKey);
        expectedCount += 1;
        expected.advance();
        output = undefined;
      } else {
        // Both sides hold this key (the branches above took every other case).
        expectedCount += 1;
        const group = await takeGroup(sourceKey as NaturalKey);
        if (!matches(output as OutputRecord, group.last, 0)) {
          note('different', sourceKey as NaturalKey);
        }
        if (group.versions && new Set(group.versions).size < group.versions.length) {
          note('duplicateVersions', sourceKey as NaturalKey);
        }
        expected.advance();
        output = undefined;
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
