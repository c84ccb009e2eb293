import { formatTable } from '../output';
import type { PipelineCheck } from './pipeline-check';
import { differs, type TableDifference } from './table-difference';

/** The outcome of one verify: the pipeline's bookkeeping and the data, table by table. */
export interface VerifyReport {
  readonly clean: boolean;
  readonly pipeline: {
    readonly unconsumed: {
      readonly transform: readonly { readonly table: string; readonly key: string }[];
      readonly load: readonly { readonly table: string; readonly key: string }[];
    };
    readonly ledgerChecked: boolean;
    readonly deadLetters: PipelineCheck['deadLetters'];
  };
  /** Every compared table; absent when the databases were not given (`--aws` without URLs). */
  readonly tables?: readonly TableDifference[];
  /** Rows read from both sides. */
  readonly rowsCompared: number;
  readonly seconds: number;
}

/** Builds the report of a pipeline check and a data comparison. */
export function verifyReport(
  check: PipelineCheck,
  tables: readonly TableDifference[] | undefined,
  seconds: number,
): VerifyReport {
  const slim = (objects: PipelineCheck['unconsumed']['load']) =>
    objects.map((object) => ({ table: object.table, key: object.key }));
  const unconsumed = { transform: slim(check.unconsumed.transform), load: slim(check.unconsumed.load) };
  const clean =
    unconsumed.transform.length + unconsumed.load.length + check.deadLetters.length === 0 &&
    !(tables ?? []).some(differs);
  return {
    clean,
    pipeline: { unconsumed, ledgerChecked: check.ledgerChecked, deadLetters: check.deadLetters },
    ...(tables ? { tables } : {}),
    rowsCompared: (tables ?? []).reduce((sum, table) => sum + table.expectedRows + table.warehouseRows, 0),
    seconds,
  };
}

const width = 80;

/** `label` followed by `items`, wrapped to 80 columns under an indent. */
function wrapped(label: string, items: readonly string[], indent = '    '): string[] {
  const lines: string[] = [];
  let line = label;
  let fresh = label === '';
  for (const item of items) {
    if (!fresh && line.length + 1 + item.length > width) {
      lines.push(line);
      line = `${indent}${item}`;
    } else {
      line = fresh ? `${line}${item}` : `${line} ${item}`;
    }
    fresh = false;
  }
  lines.push(line);
  return lines;
}

/** Shortens a key to fit 80 columns after an indent, keeping its end (where keys differ). */
const fit = (key: string, room: number) => (key.length <= room ? key : `…${key.slice(-(room - 1))}`);

/** The report as text for people, every line within 80 columns. */
export function reportText(report: VerifyReport): string {
  const lines: string[] = [];
  const { unconsumed, deadLetters, ledgerChecked } = report.pipeline;
  lines.push(
    `pipeline: ${unconsumed.transform.length} ingest object(s) not transformed, ` +
      `${ledgerChecked ? `${unconsumed.load.length} processed object(s) not loaded` : 'load ledger not read'}, ` +
      `${deadLetters.reduce((sum, letter) => sum + letter.messages, 0)} dead letter(s)`,
  );
  for (const [stage, objects] of Object.entries(unconsumed)) {
    for (const object of objects.slice(0, 5))
      lines.push(`  ${stage} ${object.table}`, `    ${fit(object.key, width - 4)}`);
    if (objects.length > 5) lines.push(`  … and ${objects.length - 5} more for ${stage}`);
  }
  for (const letter of deadLetters) lines.push(`  ${fit(letter.queue, 60)}: ${letter.messages} message(s)`);
  if (report.tables) {
    lines.push('');
    lines.push(
      formatTable(
        ['table', 'expected', 'warehouse', 'missing', 'extra', 'differ', 'dup', ''],
        report.tables.map((table) => [
          table.table,
          table.expectedRows,
          table.warehouseRows,
          table.missing,
          table.extra,
          table.different,
          table.duplicateVersions,
          differs(table) ? 'DIFFERS' : 'ok',
        ]),
      ),
    );
    for (const table of report.tables.filter(differs)) {
      lines.push('', `${table.table}:`);
      if (table.error) lines.push(...wrapped('  could not compare:', table.error.split(' ')));
      const kinds = {
        missing: 'missing',
        extra: 'extra',
        different: 'different',
        duplicateVersions: 'duplicated',
      };
      for (const [kind, label] of Object.entries(kinds) as [keyof typeof kinds, string][]) {
        const count = table[kind];
        if (count === 0) continue;
        const keys = table.samples[kind].map(String);
        lines.push(...wrapped(`  ${count} ${label}, e.g.`, [...keys, ...(count > keys.length ? ['…'] : [])]));
      }
    }
  } else {
    lines.push(
      '',
      'data: not compared (give TOTESYS_URL and WAREHOUSE_URL to compare the warehouse with the source)',
    );
  }
  lines.push(
    '',
    report.clean
      ? `verify: clean (${report.rowsCompared.toLocaleString('en-GB')} rows compared in ${report.seconds.toFixed(1)} s)`
      : `verify: DIFFERENCES FOUND (${report.seconds.toFixed(1)} s)`,
  );
  return lines
    .flatMap((line) => line.split('\n'))
    .flatMap((line) => (line.length <= width ? [line] : wrapped('', line.split(/ +/), '  ')))
    .join('\n');
}
