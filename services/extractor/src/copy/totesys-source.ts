import type { Socket } from 'node:net';
import type { IngestCompression } from '@totes/pipeline';
import { isReadBufferSocket } from '@totes/runtime/database';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { type CompressedChunk, chunkCompressor } from '../compression/compressed-chunk';
import { commitHorizon, type HorizonProbe } from '../modes/commit-horizon';
import { BufferPool } from './buffer-pool';
import { CopyOutReader } from './copy-out-reader';
import { JsonLinesChunker, type RenderedChunk } from './json-lines-chunker';
import type { RowFormat } from './row-format';
import {
  type CopySettings,
  commitHorizonProbe,
  copySettingName,
  type SourceQueries,
  sourceQueries,
} from './source-queries';

/** How a transaction sees the database: each statement afresh, or one snapshot throughout. */
export type Isolation = 'read committed' | 'repeatable read';

/** What the commit horizon depends on, from the configuration. */
export interface HorizonSettings {
  readonly sourceTimeZone: string;
  readonly commitMarginMs: number;
  readonly hiddenSessionsLagMs: number;
}

/** One table of totesys, read over one connection, in read-only transactions. */
export interface TotesysSource {
  readonly format: RowFormat;
  readonly queries: SourceQueries;
  /** Runs `work` in a read-only transaction; COPY settings live as long as it does. */
  transaction<T>(isolation: Isolation, work: () => Promise<T>): Promise<T>;
  /** The `last_updated` before which every row has committed (see {@link commitHorizon}). */
  commitHorizon(settings: HorizonSettings): Promise<string>;
  /**
   * Streams a COPY statement as chunks of `chunkRows` rows, each JSON Lines compressed as the
   * source was opened with, piece by piece while the COPY is read. Stopping early (leaving the
   * loop) abandons the statement, and with it the connection: only {@link close} may follow.
   */
  chunks(
    copy: string,
    settings: CopySettings,
    chunkRows: number,
  ): AsyncGenerator<CompressedChunk, void, undefined>;
  /** The content hash and row count of the whole table. */
  contentHash(): Promise<{ readonly hash: string; readonly rows: number }>;
  /** The content hash of each bucket from `first` to `last` that has rows (of `only`, if given). */
  bucketHashes(
    bucketRows: number,
    first: number,
    last: number,
    only?: readonly number[],
  ): Promise<Map<number, string>>;
  /** Which row versions each bucket from `first` to `last` that has rows holds, as a hash. */
  bucketVersions(bucketRows: number, first: number, last: number): Promise<Map<number, string>>;
  /**
   * The oldest transaction running now, as a {@link TransactionMark}.
   *
   * Every transaction before it has ended, so what it wrote is in every snapshot taken from now on.
   */
  oldestRunningTransaction(): Promise<string>;
  /**
   * The buckets holding a row version written by the transaction of mark `since` or a later one.
   *
   * Undefined when the mark is another server's (or says none: a totesys replaced, restored to
   * another timeline, or recreated), or its transaction is ahead of this server's or over a
   * billion transactions back, too near xid wraparound to compare.
   */
  bucketsWrittenSince(bucketRows: number, since: string): Promise<readonly number[] | undefined>;
  /** The highest primary key, or null for an empty table. */
  maxId(): Promise<number | null>;
  close(): Promise<void>;
}

const oldestRunning = 'pg_snapshot_xmin(pg_current_snapshot())';

/**
 * Which server and database transaction ids belong to: `<system identifier>.<timeline>.<database oid>`.
 *
 * A transaction id means nothing on another cluster, on a timeline a restore began, or in a
 * database recreated since. Null where the role may not read the control data.
 */
const server = `CASE WHEN has_function_privilege('pg_control_system()', 'execute')
  AND has_function_privilege('pg_control_checkpoint()', 'execute')
  THEN (SELECT system_identifier::text FROM pg_control_system()) || '.'
    || (SELECT timeline_id::text FROM pg_control_checkpoint()) || '.'
    || (SELECT oid::text FROM pg_database WHERE datname = current_database()) END`;

/**
 * A transaction of one server, as the sweep records it: `<server>:<xid8>` (see {@link server}).
 *
 * Without the server, `:<xid8>`; a bare `<xid8>` is a mark recorded before servers were.
 */
export type TransactionMark = string;

const markPattern = /^([\d.]*):(\d{1,20})$/;

/**
 * How many transactions back a row version can still be told apart by its `xmin`.
 *
 * Half of the 2^31 that `age` can count, so a transaction a sweep ago is never near the limit.
 */
const xidComparableSpan = 1_000_000_000;

// Rows per piece handed to the compressor: about 600 KB of JSON.
const pieceRows = 2_000;

/**
 * Prepares a connection for extraction.
 *
 * Read-only by default, and DateStyle ISO, on which the COPY text of timestamps (and so the JSON)
 * depends.
 */
export async function openTotesysSource(
  client: pg.Client,
  format: RowFormat,
  compression: IngestCompression,
): Promise<TotesysSource> {
  // A connection lost between statements must not crash the function with an unhandled 'error'
  // event: the next statement fails with it instead, and so does the request.
  client.on('error', () => undefined);
  await client.query(
    "SET datestyle = 'ISO, MDY'; SET client_encoding = 'UTF8'; SET default_transaction_read_only = on",
  );
  const queries = sourceQueries(format);
  // Piece buffers, reused from one COPY to the next for as long as the connection lives: one
  // being rendered, and the few the compressor has not yet read.
  const pool = new BufferPool(6);
  let inTransaction = false;
  // Set when a COPY was abandoned part-way: the connection is then mid-statement and unusable.
  let abandoned = false;

  return {
    format,
    queries,
    async transaction(isolation, work) {
      await client.query(
        `BEGIN ISOLATION LEVEL ${isolation === 'repeatable read' ? 'REPEATABLE READ' : 'READ COMMITTED'} READ ONLY`,
      );
      inTransaction = true;
      try {
        const result = await work();
        if (!abandoned) await client.query('COMMIT');
        return result;
      } catch (error) {
        if (!abandoned) await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        inTransaction = false;
      }
    },
    async commitHorizon(settings) {
      const { rows } = await client.query<HorizonProbe>(commitHorizonProbe, [
        settings.sourceTimeZone,
        settings.commitMarginMs,
        settings.hiddenSessionsLagMs,
      ]);
      const probe = rows[0];
      if (!probe) throw new Error('the commit horizon probe returned no row');
      return commitHorizon(probe);
    },
    async *chunks(copy, settings, chunkRows) {
      if (!inTransaction)
        throw new Error('COPY settings need a transaction: call chunks() inside transaction()');
      const entries = Object.entries(settings);
      await client.query(
        'SELECT count(set_config(name, value, true)) FROM unnest($1::text[], $2::text[]) AS s(name, value)',
        [
          entries.map(([name]) => copySettingName(name as keyof CopySettings)),
          entries.map(([, value]) => value),
        ],
      );
      const chunker = new JsonLinesChunker(format, chunkRows, pool, pieceRows);
      const socket = (client as unknown as { connection: { stream: unknown } }).connection.stream;
      const rows = isReadBufferSocket(socket)
        ? piecesInPlace(client, socket, copy, chunker)
        : piecesFromStream(client, copy, chunker);
      const compressor = chunkCompressor(compression);
      let chunk = compressor.chunk();
      let finished = false;
      try {
        for await (const piece of rows.pieces) {
          await chunk.add(piece);
          if (piece.endsChunk) {
            yield await chunk.finish();
            chunk = compressor.chunk();
          }
        }
        const last = chunker.end();
        if (last) await chunk.add(last);
        if (chunk.rows > 0) yield await chunk.finish();
        finished = true;
      } finally {
        // Left early (out of time, or a write failed): PostgreSQL may still be sending rows, so
        // nothing else may be sent on this connection; it is closed at the end of the request.
        if (!finished) {
          abandoned = true;
          rows.abandon();
        }
        compressor.close();
      }
    },
    async contentHash() {
      const { rows } = await client.query<{ hash: string; rows: number }>(queries.contentHash);
      const row = rows[0];
      if (!row) throw new Error('the content hash query returned no row');
      return row;
    },
    async bucketHashes(bucketRows, first, last, only) {
      const { rows } = await client.query<{ bucket: number; hash: string }>(queries.bucketHashes, [
        bucketRows,
        first,
        last,
        only ? [...only] : null,
      ]);
      return new Map(rows.map((row) => [row.bucket, row.hash]));
    },
    async bucketVersions(bucketRows, first, last) {
      const { rows } = await client.query<{ bucket: number; version: string }>(queries.bucketVersions, [
        bucketRows,
        first,
        last,
      ]);
      return new Map(rows.map((row) => [row.bucket, row.version]));
    },
    async oldestRunningTransaction() {
      const { rows } = await client.query<{ server: string | null; xid: string }>(
        `SELECT ${server} AS server, ${oldestRunning}::text AS xid`,
      );
      const row = rows[0];
      if (!row) throw new Error('the snapshot query returned no row');
      return `${row.server ?? ''}:${row.xid}`;
    },
    async bucketsWrittenSince(bucketRows, since) {
      const [, markServer, xid] = markPattern.exec(since) ?? [];
      if (!markServer || !xid) return undefined;
      const { rows: here } = await client.query<{ server: string | null; transactions: string }>(
        `SELECT ${server} AS server, (${oldestRunning}::text::numeric - $1::numeric)::text AS transactions`,
        [xid],
      );
      if (here[0]?.server !== markServer) return undefined;
      // Ahead of now, it is another server's (a restored or replaced totesys): nothing to compare.
      const transactions = Number(here[0]?.transactions ?? Number.NaN);
      if (!(transactions >= 0 && transactions <= xidComparableSpan)) return undefined;
      const { rows } = await client.query<{ bucket: number }>(queries.bucketsWrittenSince, [bucketRows, xid]);
      return rows.map((row) => row.bucket);
    },
    async maxId() {
      const { rows } = await client.query<{ id: number | null }>(queries.maxId);
      return rows[0]?.id ?? null;
    },
    async close() {
      await client.end();
    },
  };
}

/** A COPY's rows as rendered pieces, and how to stop reading them. */
interface CopyPieces {
  readonly pieces: AsyncIterable<RenderedChunk>;
  abandon(): void;
}

// Pieces rendered and not yet taken by the compressor before the socket stops reading: one read
// of the socket's buffer renders up to two.
const piecesAhead = 3;

/**
 * Reads the COPY in place from a read-buffer socket: each read's rows are rendered before the
 * buffer is read into again (see {@link CopyOutReader}), and the socket pauses while the
 * compressor is behind. With pg-copy-streams instead, each read of a 1M-row COPY cost a new
 * buffer, a Buffer per row and a joined copy of them, and the extraction 0.3-0.4 more CPU-seconds.
 */
function piecesInPlace(
  client: pg.Client,
  socket: Socket,
  copy: string,
  chunker: JsonLinesChunker,
): CopyPieces {
  const queue: RenderedChunk[] = [];
  let wake: (() => void) | undefined;
  let paused = false;
  let settled = false;
  const reader = new CopyOutReader(copy, (messages) => {
    for (const piece of chunker.pushMessages(messages)) queue.push(piece);
    if (queue.length >= piecesAhead && !paused) {
      paused = true;
      socket.pause();
    }
    wake?.();
  });
  // The socket is pg's again once the COPY is over or abandoned, and must read on (its end, above
  // all, or closing the connection would wait for ever).
  const readOn = () => {
    if (!paused) return;
    paused = false;
    socket.resume();
  };
  const settle = () => {
    settled = true;
    readOn();
    wake?.();
  };
  reader.done.then(settle, settle);
  client.query(reader as never);
  return {
    pieces: (async function* () {
      for (;;) {
        const piece = queue.shift();
        if (piece) {
          if (queue.length < piecesAhead) readOn();
          yield piece;
          continue;
        }
        if (settled) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      await reader.done;
    })(),
    abandon: () => {
      reader.abandon();
      readOn();
    },
  };
}

/** Reads the COPY through pg-copy-streams: on connections pg wraps in TLS. */
function piecesFromStream(client: pg.Client, copy: string, chunker: JsonLinesChunker): CopyPieces {
  const stream = client.query(copyTo(copy));
  return {
    pieces: (async function* () {
      for await (const input of stream as AsyncIterable<Buffer>) yield* chunker.push(input);
    })(),
    abandon: () => stream.destroy(),
  };
}
