import { sourceTableNames } from '@totes/pipeline';
import { columnsOf, totesysTables } from '@totes/schema';
import { describe, expect, it } from 'vitest';
import { rowFormat } from '../src/copy/row-format';

describe('rowFormat', () => {
  it.each(sourceTableNames)('derives the columns of %s from its row schema, in order', (table) => {
    const format = rowFormat(table);

    expect(format.columns.map((column) => column.name)).toEqual(columnsOf(totesysTables[table]));
    expect(format.columns[format.lastUpdatedIndex]?.name).toBe('last_updated');
  });

  it('renders each kind of column as its schema expects', () => {
    const renderings = Object.fromEntries(
      [...rowFormat('payment').columns, ...rowFormat('transaction').columns].map((c) => [
        c.name,
        c.rendering,
      ]),
    );

    expect(renderings).toMatchObject({
      payment_id: 'number',
      created_at: 'timestamp3',
      payment_amount: 'decimal',
      paid: 'boolean',
      payment_date: 'text',
      transaction_type: 'text',
      sales_order_id: 'number',
    });
  });

  it('finds the primary key the topology declares', () => {
    const format = rowFormat('sales_order');

    expect(format.columns[format.keyIndex]?.name).toBe('sales_order_id');
  });
});
