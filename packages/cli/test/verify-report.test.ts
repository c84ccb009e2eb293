import type { UnconsumedObject } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import type { PipelineCheck } from '../src/verify/pipeline-check';
import { pipelineDiffers } from '../src/verify/pipeline-check';
import type { TableDifference } from '../src/verify/table-difference';
import { reportText, verifyReport } from '../src/verify/verify-report';

const nothing: PipelineCheck = {
  unconsumed: { transform: [], load: [] },
  ledgerChecked: true,
  deadLetters: [],
};

const same = (table: TableDifference['table'], rows: number): TableDifference => ({
  table,
  expectedRows: rows,
  warehouseRows: rows,
  missing: 0,
  extra: 0,
  different: 0,
  duplicateVersions: 0,
  samples: { missing: [], extra: [], different: [], duplicateVersions: [] },
});

const unconsumed = (stage: 'transform' | 'load', index: number): UnconsumedObject =>
  ({
    stage,
    table: 'fact_sales_order',
    bucket: 'local-totes-ingest',
    key: `sales_order/2024/11/04/20241104T091500${String(index).padStart(3, '0')}-0000000123-very-long-object-name-${'x'.repeat(40)}.jsonl.zst`,
    lastModified: new Date('2024-11-04T09:15:00Z'),
  }) as UnconsumedObject;

describe('the verify report', () => {
  it('is clean when the bookkeeping is and no table differs, counting the rows of both sides', () => {
    const report = verifyReport(nothing, [same('dim_staff', 20), same('dim_currency', 3)], 1.234);
    expect(report).toMatchObject({ clean: true, rowsCompared: 46, seconds: 1.234 });
    expect(pipelineDiffers(nothing)).toBe(false);
    expect(reportText(report).split('\n').at(-1)).toBe('verify: clean (46 rows compared in 1.2 s)');
  });

  it('keeps only the table and key of an object not consumed, and is then not clean', () => {
    const check: PipelineCheck = {
      ...nothing,
      unconsumed: { transform: [unconsumed('transform', 1)], load: [] },
    };
    const report = verifyReport(check, [same('dim_staff', 20)], 0.5);
    expect(report.clean).toBe(false);
    expect(pipelineDiffers(check)).toBe(true);
    expect(report.pipeline.unconsumed.transform).toEqual([
      { table: 'fact_sales_order', key: unconsumed('transform', 1).key },
    ]);
  });

  it('leaves the tables out when the data was not compared, and says how to compare it', () => {
    const report = verifyReport({ ...nothing, ledgerChecked: false }, undefined, 2);
    expect(report).not.toHaveProperty('tables');
    expect(report.rowsCompared).toBe(0);
    const text = reportText(report);
    expect(text).toContain('load ledger not read');
    expect(text).toContain('data: not compared (give TOTESYS_URL and WAREHOUSE_URL');
  });

  it('lists what differs within 80 columns: objects, dead letters, tables and sample keys', () => {
    const check: PipelineCheck = {
      unconsumed: {
        transform: Array.from({ length: 7 }, (_, index) => unconsumed('transform', index)),
        load: [unconsumed('load', 9)],
      },
      ledgerChecked: true,
      deadLetters: [{ queue: 'local-totes-load-fact_sales_order-dlq.fifo', messages: 2 }],
    };
    const differing: TableDifference = {
      ...same('fact_sales_order', 100),
      missing: 3,
      extra: 1,
      different: 0,
      duplicateVersions: 2,
      samples: { missing: [1, 2], extra: [7], different: [], duplicateVersions: [4, 5] },
    };
    const broken: TableDifference = {
      ...same('dim_date', 0),
      error: `source row 12 of dim_date cannot be mapped: ${'because '.repeat(15)}`,
    };
    const report = verifyReport(check, [same('dim_staff', 20), differing, broken], 3.25);
    const lines = reportText(report).split('\n');

    expect(report.clean).toBe(false);
    // The summary is longer than 80 columns: it goes on, indented, on the next line.
    expect(lines[1]).toMatch(/^ {2}\S/);
    expect(`${lines[0]} ${lines[1]?.trim()}`).toBe(
      'pipeline: 7 ingest object(s) not transformed, 1 processed object(s) not loaded, 2 dead letter(s)',
    );
    expect(lines.every((line) => line.length <= 80)).toBe(true);
    expect(lines.filter((line) => line === '  transform fact_sales_order')).toHaveLength(5);
    expect(lines).toContain('  … and 2 more for transform');
    expect(lines).toContain('  load fact_sales_order');
    expect(lines.some((line) => line.startsWith('    …') && line.endsWith('.jsonl.zst'))).toBe(true);
    expect(lines).toContain('  local-totes-load-fact_sales_order-dlq.fifo: 2 message(s)');
    expect(lines.find((line) => line.startsWith('dim_staff '))).toMatch(/ ok$/);
    expect(lines.find((line) => line.startsWith('fact_sales_order '))).toMatch(/ DIFFERS$/);
    expect(lines).toContain('fact_sales_order:');
    expect(lines).toContain('  3 missing, e.g. 1 2 …');
    expect(lines).toContain('  1 extra, e.g. 7');
    expect(lines).toContain('  2 duplicated, e.g. 4 5');
    expect(lines.some((line) => line.includes('different'))).toBe(false);
    expect(lines).toContain('dim_date:');
    expect(lines.find((line) => line.startsWith('  could not compare: source row 12'))).toBeDefined();
    expect(lines.at(-1)).toBe('verify: DIFFERENCES FOUND (3.3 s)');
  });
});
