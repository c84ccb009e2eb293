/**
 * The enum types Prisma created in totesys, keyed by their PostgreSQL type name.
 *
 * Their labels are in declared order.
 */
export const totesysEnums = Object.freeze({
  PaymentTypeName: ['SALES_RECEIPT', 'SALES_REFUND', 'PURCHASE_PAYMENT', 'PURCHASE_REFUND'],
  TransactionType: ['SALE', 'PURCHASE'],
} as const);

/** The name of one of the {@link totesysEnums}. */
export type TotesysEnumName = keyof typeof totesysEnums;
