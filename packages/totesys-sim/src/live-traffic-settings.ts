import type { RowEdit } from './apply-edit';
import type { InsertedOrder } from './insert-order';
import { SimulatorError } from './simulator-error';

/** Options of `startLiveTraffic`. */
export interface LiveTrafficOptions {
  /** New orders per minute (sales and purchases together). Default 60; the real rate is ~0.05. */
  readonly ordersPerMinute?: number;
  /** Seed of the values drawn. Default 1. */
  readonly seed?: number;
  /**
   * Milliseconds of clock time after which a payment may be settled: each one is settled between
   * `settleAfter` and `settleAfter × 144/13` after its order, the real 13–144 hours compressed.
   * Default 13,000 (13–144 seconds).
   */
  readonly settleAfter?: number;
  /** Make a silent edit after every this many orders; 0 for never. Default 50. */
  readonly silentEditEvery?: number;
  /** Edit a reference row (bumping `last_updated`) after every this many orders; 0 for never. Default 100. */
  readonly referenceEditEvery?: number;
  /** The time rows are stamped with, read as UTC wall time. Default: the system clock. */
  readonly clock?: () => Date;
  /** Told about every change made, and about errors (traffic goes on after an error). */
  readonly onEvent?: (event: LiveEvent) => void;
}

/** A change live traffic made, or an error it met. */
export type LiveEvent =
  | ({ readonly type: 'sales_order' | 'purchase_order' } & InsertedOrder)
  | { readonly type: 'design'; readonly designId: number; readonly at: string }
  | { readonly type: 'payments_settled'; readonly paymentIds: readonly number[]; readonly at: string }
  | ({ readonly type: 'reference_edit'; readonly at: string } & RowEdit)
  | ({ readonly type: 'silent_edit' } & RowEdit)
  | { readonly type: 'error'; readonly error: unknown };

/** {@link LiveTrafficOptions} checked, with their defaults filled in. */
export interface LiveTrafficSettings {
  readonly intervalMs: number;
  readonly seed: number;
  readonly settleAfter: number;
  readonly silentEditEvery: number;
  readonly referenceEditEvery: number;
  readonly clock: () => Date;
  readonly onEvent: (event: LiveEvent) => void;
}

/** Checks live traffic options and fills in the defaults; a {@link SimulatorError} says what is wrong. */
export function liveTrafficSettings(options: LiveTrafficOptions): LiveTrafficSettings {
  const ordersPerMinute = options.ordersPerMinute ?? 60;
  if (!(Number.isFinite(ordersPerMinute) && ordersPerMinute > 0 && ordersPerMinute <= 600_000)) {
    throw new SimulatorError(`ordersPerMinute must be above 0 and at most 600000; got ${ordersPerMinute}`);
  }
  const seed = options.seed ?? 1;
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= 0xffff_ffff)) {
    throw new SimulatorError(`seed must be a whole number from 0 to 4294967295; got ${seed}`);
  }
  const settleAfter = options.settleAfter ?? 13_000;
  if (!(Number.isFinite(settleAfter) && settleAfter >= 0)) {
    throw new SimulatorError(`settleAfter must be a number of milliseconds, 0 or more; got ${settleAfter}`);
  }
  const every = (name: string, value: number) => {
    if (!(Number.isInteger(value) && value >= 0)) {
      throw new SimulatorError(`${name} must be a whole number of orders, 0 (never) or more; got ${value}`);
    }
    return value;
  };
  return {
    intervalMs: 60_000 / ordersPerMinute,
    seed,
    settleAfter,
    silentEditEvery: every('silentEditEvery', options.silentEditEvery ?? 50),
    referenceEditEvery: every('referenceEditEvery', options.referenceEditEvery ?? 100),
    clock: options.clock ?? (() => new Date()),
    onEvent: options.onEvent ?? (() => undefined),
  };
}
