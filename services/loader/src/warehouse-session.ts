import type pg from 'pg';

/** The one warehouse connection of an invocation, opened on first use and closed at the end. */
export interface WarehouseSession {
  client(): Promise<pg.Client>;
  close(): Promise<void>;
}

/**
 * A {@link WarehouseSession} over `connect`.
 *
 * A failed connection attempt is not repeated within the invocation: the remaining messages fail at
 * once and are retried later. `onLost` hears of a connection that breaks while open (without a
 * listener, `pg` would crash the process).
 */
export function warehouseSession(
  connect: () => Promise<pg.Client>,
  onLost: (error: Error) => void,
): WarehouseSession {
  let opened: Promise<pg.Client> | undefined;
  return {
    client() {
      opened ??= connect().then((client) => {
        client.on('error', onLost);
        return client;
      });
      return opened;
    },
    async close() {
      const client = await opened?.catch(() => undefined);
      await client?.end().catch(() => undefined);
    },
  };
}
