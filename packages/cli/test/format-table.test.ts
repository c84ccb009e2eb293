import { describe, expect, it } from 'vitest';
import { formatTable } from '../src/output';

describe('an aligned text table', () => {
  it('pads text to the left and right-aligns numbers, grouped in thousands', () => {
    const table = formatTable(
      ['table', 'rows', 'note'],
      [
        ['dim_staff', 20, 'ok'],
        ['fact_sales_order', 11_142, ''],
      ],
    );
    expect(table.split('\n')).toEqual([
      'table             rows    note',
      'dim_staff             20  ok',
      'fact_sales_order  11,142',
    ]);
  });

  it('is the headers alone when there are no rows', () => {
    expect(formatTable(['queue', 'messages'], [])).toBe('queue  messages');
  });

  it('leaves a missing cell empty', () => {
    expect(formatTable(['a', 'b'], [['x']]).split('\n')).toEqual(['a  b', 'x']);
  });
});
