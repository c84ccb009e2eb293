import type { Generated, Insertable, Selectable } from 'kysely';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  SourceTableName,
  TargetTableName,
  TotesysDatabase,
  TotesysRow,
  WarehouseDatabase,
  WarehouseRow,
} from '../src/index';

describe('TotesysDatabase', () => {
  it('has one table per totesys row schema', () => {
    expectTypeOf<keyof TotesysDatabase>().toEqualTypeOf<SourceTableName>();
  });

  it('selects exactly the rows the zod schemas describe', () => {
    expectTypeOf<Selectable<TotesysDatabase['sales_order']>>().toEqualTypeOf<TotesysRow<'sales_order'>>();
    expectTypeOf<Selectable<TotesysDatabase['transaction']>>().toEqualTypeOf<TotesysRow<'transaction'>>();
    expectTypeOf<Selectable<TotesysDatabase['payment_type']>>().toEqualTypeOf<TotesysRow<'payment_type'>>();
  });

  it('lets an insert leave out the serial key and created_at, but not last_updated', () => {
    expectTypeOf<TotesysDatabase['address']['address_id']>().toEqualTypeOf<Generated<number>>();
    expectTypeOf<TotesysDatabase['address']['created_at']>().toEqualTypeOf<Generated<string>>();
    expectTypeOf<TotesysDatabase['address']['last_updated']>().toEqualTypeOf<string>();
    expectTypeOf<{ currency_code: string; last_updated: string }>().toExtend<
      Insertable<TotesysDatabase['currency']>
    >();
    expectTypeOf<{ currency_code: string; created_at: string }>().not.toExtend<
      Insertable<TotesysDatabase['currency']>
    >();
  });

  it('types enums as their labels and nullable columns with null', () => {
    expectTypeOf<TotesysDatabase['transaction']['transaction_type']>().toEqualTypeOf<'SALE' | 'PURCHASE'>();
    expectTypeOf<TotesysDatabase['transaction']['sales_order_id']>().toEqualTypeOf<number | null>();
  });
});

describe('WarehouseDatabase', () => {
  it('has one table per warehouse row schema', () => {
    expectTypeOf<keyof WarehouseDatabase>().toEqualTypeOf<TargetTableName>();
  });

  it('selects exactly the rows the zod schemas describe', () => {
    expectTypeOf<Selectable<WarehouseDatabase['fact_sales_order']>>().toEqualTypeOf<
      WarehouseRow<'fact_sales_order'>
    >();
    expectTypeOf<Selectable<WarehouseDatabase['dim_counterparty']>>().toEqualTypeOf<
      WarehouseRow<'dim_counterparty'>
    >();
  });

  it('generates only the facts’ record ids', () => {
    expectTypeOf<WarehouseDatabase['fact_payment']['payment_record_id']>().toEqualTypeOf<Generated<number>>();
    expectTypeOf<WarehouseDatabase['fact_payment']['payment_id']>().toEqualTypeOf<number>();
    expectTypeOf<WarehouseDatabase['dim_date']['date_id']>().toEqualTypeOf<string>();
  });
});
