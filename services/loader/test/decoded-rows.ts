import { decimalText } from '../src/copy/decimal-text';
import type { ProcessedParquet } from '../src/copy/processed-parquet';
import type { TableLayout, ValueKind } from '../src/statements/table-layout';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const utf8 = new TextDecoder();

function pipelineValue(kind: ValueKind, scale: number, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'integer':
      return Number(value);
    case 'decimal':
      return decimalText(value as number | bigint | Uint8Array, scale);
    case 'date':
      return new Date(Number(value) * 86_400_000).toISOString().slice(0, 10);
    case 'time': {
      const ms = Number(value);
      return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
    }
    case 'string':
      return value instanceof Uint8Array ? utf8.decode(value) : String(value);
    case 'boolean':
      return Boolean(value);
  }
}

/**
 * The rows of a processed object in the pipeline's JSON form (`"12.50"`, `"2024-11-04"`,
 * `"14:20:52.186"`), one array per row group: what the loader read, as a person would compare it.
 */
export async function decodedRows(
  parquet: ProcessedParquet,
  layout: TableLayout,
): Promise<Record<string, unknown>[][]> {
  const groups: Record<string, unknown>[][] = [];
  for await (const group of parquet.rowGroups()) {
    const rows: Record<string, unknown>[] = [];
    for (let row = 0; row < group.rows; row += 1) {
      rows.push(
        Object.fromEntries(
          layout.columns.map((column, index) => [
            column.name,
            pipelineValue(column.kind, parquet.scales[index] ?? 0, group.columns[index]?.[row]),
          ]),
        ),
      );
    }
    groups.push(rows);
  }
  return groups;
}
