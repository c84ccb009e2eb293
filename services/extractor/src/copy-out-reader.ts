import type net from 'node:net';
import { setReadSink } from '@totes/runtime';

// Protocol message codes: https://www.postgresql.org/docs/current/protocol-message-formats.html
const copyData = 0x64; // 'd'
const copyDone = 0x63; // 'c'
const errorResponse = 0x45; // 'E'
const headerBytes = 5; // a code byte and a 32-bit length that counts itself

/** What pg hands a query object it runs (the part this reader uses). */
interface PgConnection {
  readonly stream: net.Socket;
  query(text: string): void;
}

/**
 * Runs `COPY … TO STDOUT` on a connection whose socket is a read-buffer socket
 * (`readBufferSocket` in @totes/runtime), and passes each read's whole CopyData messages to
 * `onMessages` in place, still framed (code, length, row), before the buffer is read into again.
 * Nothing is allocated per read or per row; only a message cut by the end of a read is copied.
 * CopyData messages carry one row each.
 *
 * Everything else goes back to pg's own parser: at CopyDone the rest of the read (the command's
 * completion and ReadyForQuery), at an ErrorResponse the error itself, which pg then reports to
 * {@link handleError}. It is a pg "submittable": pass it to `client.query()`.
 */
export class CopyOutReader {
  /** Resolves once every row is through `onMessages`; rejects with the statement's error. */
  readonly done: Promise<void>;
  private settle!: (error?: Error) => void;
  private connection: PgConnection | undefined;
  // A message cut by the end of a read: its first bytes, copied.
  private partial: Buffer | undefined;
  private finished = false;

  constructor(
    private readonly text: string,
    private readonly onMessages: (messages: Buffer) => void,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve());
    });
    // Handled here so that a failure is not unhandled when the reader is abandoned first.
    this.done.catch(() => undefined);
  }

  /** Called by pg when the statement's turn comes. */
  submit(connection: PgConnection): void {
    this.connection = connection;
    setReadSink(connection.stream, (bytes) => this.read(bytes));
    connection.query(this.text);
  }

  /** Called by pg with the statement's error, or the connection's. */
  handleError(error: Error): void {
    this.finish(error);
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {}

  handleCopyData(): void {}

  /**
   * Stops passing rows on. The connection is then mid-statement and must be closed; until it is,
   * what arrives is dropped.
   */
  abandon(): void {
    this.drop(new Error('the COPY was abandoned'));
  }

  /** Settles {@link done}; what the socket reads after it goes to pg (the reader is done with it). */
  private finish(error?: Error): void {
    if (this.finished) return;
    this.finished = true;
    if (this.connection) setReadSink(this.connection.stream, undefined);
    this.settle(error);
  }

  /** Settles {@link done} with `error`, and drops what the socket reads after it. */
  private drop(error: Error): void {
    if (this.finished) return;
    this.finished = true;
    if (this.connection) setReadSink(this.connection.stream, () => undefined);
    this.settle(error);
  }

  /** Hands bytes after the COPY back to pg's parser (the socket's 'data' listeners). */
  private handBack(bytes: Buffer): void {
    const stream = this.connection?.stream;
    if (!stream) return;
    setReadSink(stream, undefined);
    if (bytes.length > 0) stream.emit('data', Buffer.from(bytes));
  }

  private read(bytes: Buffer): void {
    if (this.finished) return;
    try {
      this.readMessages(bytes);
    } catch (error) {
      // From onMessages (rows that are not the table's): the statement is abandoned, and the
      // reader's user fails with the error.
      this.drop(error as Error);
    }
  }

  private readMessages(bytes: Buffer): void {
    let at = 0;
    if (this.partial) {
      at = this.completePartial(bytes);
      if (at < 0 || this.finished) return;
    }
    const end = bytes.length;
    let runStart = at;
    while (at + headerBytes <= end) {
      const code = bytes[at] as number;
      const next = at + 1 + bytes.readUInt32BE(at + 1);
      if (code === copyData) {
        if (next > end) break;
        at = next;
        continue;
      }
      if (at > runStart) this.onMessages(bytes.subarray(runStart, at));
      if (code === errorResponse) {
        // pg parses the error and reports it through handleError.
        this.handBack(bytes.subarray(at));
        return;
      }
      if (next > end) {
        runStart = at;
        break;
      }
      if (code === copyDone) {
        this.finish();
        this.handBack(bytes.subarray(next));
        return;
      }
      // CopyOutResponse, or a notice or parameter status the server may send at any time.
      at = next;
      runStart = at;
    }
    if (at > runStart) this.onMessages(bytes.subarray(runStart, at));
    if (at < end) this.partial = Buffer.from(bytes.subarray(at));
  }

  /**
   * Completes the message cut by the end of the last read with the start of `bytes`, handles it,
   * and returns where the rest of `bytes` starts, or -1 when all of `bytes` went into it.
   */
  private completePartial(bytes: Buffer): number {
    let partial = this.partial as Buffer;
    if (partial.length < headerBytes) {
      const take = Math.min(headerBytes - partial.length, bytes.length);
      partial = Buffer.concat([partial, bytes.subarray(0, take)]);
      if (partial.length < headerBytes) {
        this.partial = partial;
        return -1;
      }
      bytes = bytes.subarray(take);
      return this.completePartialWith(partial, bytes, take);
    }
    return this.completePartialWith(partial, bytes, 0);
  }

  private completePartialWith(partial: Buffer, bytes: Buffer, offset: number): number {
    const length = 1 + partial.readUInt32BE(1);
    const missing = length - partial.length;
    if (bytes.length < missing) {
      this.partial = Buffer.concat([partial, bytes]);
      return -1;
    }
    const message = Buffer.concat([partial, bytes.subarray(0, missing)]);
    this.partial = undefined;
    const code = message[0];
    if (code === copyData) this.onMessages(message);
    else if (code === errorResponse) {
      this.handBack(Buffer.concat([message, bytes.subarray(missing)]));
      return -1;
    } else if (code === copyDone) {
      this.finish();
      this.handBack(bytes.subarray(missing));
      return -1;
    }
    return offset + missing;
  }
}
