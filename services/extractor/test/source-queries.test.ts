import { sourceTableNames } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import { rowFormat } from '../src/copy/row-format';
import { quoteIdentifier, sourceQueries } from '../src/copy/source-queries';

describe('sourceQueries', () => {
  it('reads only the declared columns, quoted, never _prisma_migrations', () => {
    for (const table of sourceTableNames) {
      const queries = Object.values(sourceQueries(rowFormat(table))).join('\n');

      expect(queries).toContain(`FROM "${table}"`);
      expect(queries).not.toContain('_prisma_migrations');
      expect(queries).not.toMatch(/SELECT \*/);
    }
  });

  it('takes values from bound settings, not from the SQL text', () => {
    const { changes, afterId, buckets } = sourceQueries(rowFormat('transaction'));

    expect(changes).toBe(
      'COPY (SELECT "transaction_id", "transaction_type", "sales_order_id", "purchase_order_id", "created_at", "last_updated"' +
        ' FROM "transaction"' +
        ` WHERE ("last_updated", "transaction_id") > ((SELECT current_setting('totes.after_ts')::timestamp), (SELECT current_setting('totes.after_id')::integer))` +
        ` AND "last_updated" < (SELECT current_setting('totes.before_ts')::timestamp)` +
        ` ORDER BY "last_updated", "transaction_id" LIMIT (SELECT current_setting('totes.row_limit')::bigint)) TO STDOUT`,
    );
    expect(afterId).toContain(
      `"transaction_id" > (SELECT current_setting('totes.after_id')::integer) ORDER BY "transaction_id"`,
    );
    expect(buckets).toContain(`= ANY (current_setting('totes.buckets')::integer[])`);
  });

  it('quotes identifiers, doubling quotes inside', () => {
    expect(quoteIdentifier('odd"name')).toBe('"odd""name"');
  });
});
