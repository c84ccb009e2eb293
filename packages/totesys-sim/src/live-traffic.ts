import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { editReference } from './edit-reference';
import {
  type ReferenceEditTable,
  referenceEditRules,
  type SilentEditTable,
  silentEditRules,
} from './edit-rules';
import { insertDesign } from './insert-design';
import { insertPurchaseOrder, insertSalesOrder } from './insert-order';
import { type LiveTrafficOptions, liveTrafficSettings } from './live-traffic-settings';
import { formatNaiveTimestamp, naiveTimestampOf, parseNaiveTimestamp } from './naive-timestamp';
import { orderDraft } from './order-draft';
import { Random } from './random';
import { readLimits, type TableLimits } from './read-limits';
import { settlePayments } from './settle-payments';
import { silentEdit } from './silent-edit';
import { SimulatorError } from './simulator-error';
import { totesysProfile } from './totesys-profile';

/** Counts of what live traffic has done so far. */
export interface LiveTrafficStats {
  readonly salesOrders: number;
  readonly purchaseOrders: number;
  readonly designs: number;
  readonly settledPayments: number;
  readonly referenceEdits: number;
  readonly silentEdits: number;
  readonly errors: number;
  readonly running: boolean;
}

/** Running live traffic. */
export interface LiveTraffic {
  /** Finishes the change in progress, stops and closes the connection. */
  stop(): Promise<void>;
  stats(): LiveTrafficStats;
}

const sizes = totesysProfile.growingSizes;
const saleShare = sizes.sales_order / (sizes.sales_order + sizes.purchase_order);
const designShare = sizes.design / (sizes.sales_order + sizes.purchase_order);
const settleSpread = totesysProfile.settlementHours.max / totesysProfile.settlementHours.min;

async function withClient<T>(pool: pg.Pool, work: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}

async function checkSeeded(client: pg.ClientBase): Promise<TableLimits> {
  let limits: TableLimits;
  try {
    limits = await readLimits(client);
  } catch (error) {
    throw new SimulatorError(
      'The database has no totesys schema: seed it first (seedTotesys, or `totes seed`).',
      {
        cause: error,
      },
    );
  }
  const empty = (['address', 'counterparty', 'currency', 'staff', 'design'] as const).filter(
    (t) => limits[t] === 0,
  );
  if (empty.length > 0) {
    throw new SimulatorError(
      `totesys has no rows in ${empty.join(', ')}, which new orders refer to: seed it first (seedTotesys, or \`totes seed\`).`,
    );
  }
  return limits;
}

/**
 * Starts traffic like the real totesys's, compressed in time.
 *
 * Sales and purchase orders (each with its transaction and payment, in one transaction), new
 * designs now and then, payments settled a while after their order, open edits of reference rows
 * and silent edits. Everything goes through parameterised statements on one connection, stamped by
 * `clock`. The database must be seeded; payments left unpaid by the seed are settled first.
 */
export async function startLiveTraffic(
  connectionString: string,
  options: LiveTrafficOptions = {},
): Promise<LiveTraffic> {
  const settings = liveTrafficSettings(options);
  const pool = new pg.Pool({ connectionString, max: 1 });
  // An idle connection that breaks is replaced on the next change; the tick reports the error.
  pool.on('error', () => undefined);
  let limits: { -readonly [K in keyof TableLimits]: TableLimits[K] };
  try {
    limits = { ...(await withClient(pool, checkSeeded)) };
  } catch (error) {
    await pool.end();
    throw error;
  }

  const random = Random.of(settings.seed, 'live');
  const counts = {
    salesOrders: 0,
    purchaseOrders: 0,
    designs: 0,
    settledPayments: 0,
    referenceEdits: 0,
    silentEdits: 0,
    errors: 0,
  };
  const pending: { id: number; dueMs: number }[] = [];
  let orders = 0;
  let swept = false;
  let running = true;
  const stopSignal = new AbortController();
  const now = () => settings.clock().getTime();

  async function tick(client: pg.ClientBase): Promise<void> {
    if (!swept) {
      // Payments the seed left unpaid are long overdue by the live clock.
      const at = naiveTimestampOf(settings.clock());
      const ids = await settlePayments(client, {
        at,
        createdBefore: formatNaiveTimestamp(now() - settings.settleAfter),
      });
      swept = true;
      counts.settledPayments += ids.length;
      if (ids.length > 0) settings.onEvent({ type: 'payments_settled', paymentIds: ids, at });
    }
    if (random.chance(designShare)) {
      const at = naiveTimestampOf(settings.clock());
      const designId = await insertDesign(client, orderDraft.design(random, parseNaiveTimestamp(at)), at);
      limits.design = Math.max(limits.design, designId);
      counts.designs++;
      settings.onEvent({ type: 'design', designId, at });
    }
    const at = naiveTimestampOf(settings.clock());
    const atMs = parseNaiveTimestamp(at);
    const accounts = orderDraft.accounts(random);
    const isSale = random.chance(saleShare);
    const order = isSale
      ? await insertSalesOrder(client, orderDraft.salesOrder(random, limits, atMs), { at, accounts })
      : await insertPurchaseOrder(client, orderDraft.purchaseOrder(random, limits, atMs), { at, accounts });
    if (isSale) {
      limits.sales_order = Math.max(limits.sales_order, order.orderId);
      counts.salesOrders++;
    } else {
      limits.purchase_order = Math.max(limits.purchase_order, order.orderId);
      counts.purchaseOrders++;
    }
    const dueMs = atMs + settings.settleAfter * (1 + random.next() * (settleSpread - 1));
    pending.push({ id: order.paymentId, dueMs });
    settings.onEvent({ type: isSale ? 'sales_order' : 'purchase_order', ...order });
    orders++;

    const nowMs = now();
    const due = pending.filter((p) => p.dueMs <= nowMs).map((p) => p.id);
    if (due.length > 0) {
      const settledAt = formatNaiveTimestamp(nowMs);
      const ids = await settlePayments(client, { at: settledAt, paymentIds: due });
      const dueSet = new Set(due);
      pending.splice(0, pending.length, ...pending.filter((p) => !dueSet.has(p.id)));
      counts.settledPayments += ids.length;
      if (ids.length > 0) settings.onEvent({ type: 'payments_settled', paymentIds: ids, at: settledAt });
    }

    if (settings.referenceEditEvery > 0 && orders % settings.referenceEditEvery === 0) {
      const table = random.pick(Object.keys(referenceEditRules) as ReferenceEditTable[]);
      const editAt = naiveTimestampOf(settings.clock());
      const edit = await editReference(
        client,
        { table, id: random.int(1, limits[table]) },
        { at: editAt, random },
      );
      counts.referenceEdits++;
      settings.onEvent({ type: 'reference_edit', at: editAt, ...edit });
    }
    if (settings.silentEditEvery > 0 && orders % settings.silentEditEvery === 0) {
      const tables = (Object.keys(silentEditRules) as SilentEditTable[]).filter((t) => limits[t] > 0);
      const table = random.pick(tables);
      const edit = await silentEdit(client, { table, id: random.int(1, limits[table]) }, { random, limits });
      counts.silentEdits++;
      settings.onEvent({ type: 'silent_edit', ...edit });
    }
  }

  async function loop(): Promise<void> {
    let next = performance.now();
    while (!stopSignal.signal.aborted) {
      try {
        await withClient(pool, tick);
      } catch (error) {
        counts.errors++;
        try {
          settings.onEvent({ type: 'error', error });
        } catch {
          // A listener that fails on an error report must not stop the traffic.
        }
      }
      next += settings.intervalMs;
      const wait = next - performance.now();
      // Behind schedule (a slow database): carry on from now rather than burst to catch up.
      if (wait <= 0) next = performance.now();
      else await sleep(wait, undefined, { signal: stopSignal.signal }).catch(() => undefined);
    }
  }

  const done = loop();
  return {
    async stop() {
      stopSignal.abort();
      await done;
      if (running) {
        running = false;
        await pool.end();
      }
    },
    stats: () => ({ ...counts, running }),
  };
}
