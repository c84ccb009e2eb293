/**
 * The shape of the real totesys, from which the simulator draws.
 *
 * As observed in its snapshots from 2022-11 to 2024-11. Sizes are those of scale factor 1; growing
 * tables scale, reference tables do not. The period has a fixed end so that a seed always yields
 * the same data.
 */
export const totesysProfile = Object.freeze({
  /** When the reference rows (and the first designs) were created. */
  referenceCreatedAt: '2022-11-03 14:20:49.962',
  /** The first order; activity on the first day starts here rather than at opening time. */
  firstOrderAt: '2022-11-03 14:20:52.186',
  /** The last day with new rows. */
  lastDay: '2024-11-15',
  /** The moment the simulated snapshot is taken: later settlements have not happened yet. */
  snapshotAt: '2024-11-15 19:00:00.000',
  /** New rows arrive on weekdays from `openHour`:00 until just before `closeHour`:00. */
  openHour: 8,
  closeHour: 19,
  /** Rows in the reference tables whose size is not fixed by their content. */
  referenceSizes: Object.freeze({ address: 30, counterparty: 20, staff: 20 }),
  /** Rows of each growing table at the end of the period, at scale factor 1. */
  growingSizes: Object.freeze({ design: 470, sales_order: 11_000, purchase_order: 4_600 }),
  /** Designs that exist before the first order. */
  initialDesigns: 60,
  /** How far a day's count strays from the mean, as a fraction of it (uniform). */
  dailySpread: 0.3,
  /** A payment is settled this many hours after its order (uniform). */
  settlementHours: Object.freeze({ min: 13, max: 144 }),
  /** Agreed delivery and payment dates fall this many days after the order (uniform). */
  agreedAfterDays: Object.freeze({ min: 1, max: 8 }),
  /** One row in this many (by id) was edited later without its `last_updated` changing. */
  silentEditEvery: Object.freeze({ sales_order: 2203, purchase_order: 997, design: 97 }),
});
