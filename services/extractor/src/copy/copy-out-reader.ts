import type net from 'node:net';
import { type ReadSink, setReadSink } from '@totes/runtime/database';

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
 * Runs `COPY … TO STDOUT` and passes each read's CopyData messages on in place.
 *
 * The connection's socket is a read-buffer socket (`readBufferSocket` in @totes/runtime);
 * `onMessages` gets each read's whole messages, still framed (code, length, row), before the buffer
 * is read into again. Nothing is allocated per read or per row; only a message cut by the end of a
 * read is copied. CopyData messages carry one row each.
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
    this.finish(new Error('the COPY was abandoned'), () => undefined);
  }

  /**
   * Settles {@link done}, once; what the socket reads after it goes to `after`, or to pg's parser
   * (its 'data' listeners) without one.
   */
  private finish(error?: Error, after?: ReadSink): void {
    if (this.finished) return;
    this.finished = true;
    if (this.connection) setReadSink(this.connection.stream, after);
    this.settle(error);
  }

  /** Gives the socket back to pg's parser, and hands it `bytes` first. */
  private handBack(...bytes: Buffer[]): void {
    const stream = this.connection?.stream;
    if (!stream) return;
    setReadSink(stream, undefined);
    const rest = Buffer.concat(bytes);
    if (rest.length > 0) stream.emit('data', rest);
  }

  private read(bytes: Buffer): void {
    if (this.finished) return;
    try {
      this.readMessages(bytes);
    } catch (error) {
      // From onMessages (rows that are not the table's): the statement is abandoned, and the
      // reader's user fails with the error.
      this.finish(error as Error, () => undefined);
    }
  }

  private readMessages(bytes: Buffer): void {
    const end = bytes.length;
    let at = 0;
    if (this.partial) {
      at = this.completePartial(bytes);
      if (at < 0) return;
    }
    let runStart = at;
    while (at + headerBytes <= end) {
      const code = bytes[at] as number;
      const next = Math.min(at + 1 + bytes.readUInt32BE(at + 1), end + 1);
      if (code === copyData && next <= end) {
        at = next;
        continue;
      }
      // A message cut by the end of the read is kept for the next; an error is pg's at once.
      if (next > end && code !== errorResponse) break;
      if (at > runStart) this.onMessages(bytes.subarray(runStart, at));
      const after = Math.min(next, end);
      if (!this.other(bytes.subarray(at, after), bytes.subarray(after))) return;
      at = next;
      runStart = at;
    }
    if (at > runStart) this.onMessages(bytes.subarray(runStart, at));
    if (at < end) this.partial = Buffer.from(bytes.subarray(at));
  }

  /**
   * Completes the message cut by the end of the last read with the start of `bytes` and handles
   * it; returns where the rest of `bytes` starts, or -1 when reading stops here.
   */
  private completePartial(bytes: Buffer): number {
    let message = this.partial as Buffer;
    let used = 0;
    // Grows the message to `length` bytes from `bytes`, as far as they go.
    const fill = (length: number) => {
      const take = Math.min(length - message.length, bytes.length - used);
      if (take > 0) {
        message = Buffer.concat([message, bytes.subarray(used, used + take)]);
        used += take;
      }
      return message.length >= length;
    };
    if (!fill(headerBytes) || !fill(1 + message.readUInt32BE(1))) {
      this.partial = message;
      return -1;
    }
    this.partial = undefined;
    if (message[0] === copyData) this.onMessages(message);
    else if (!this.other(message, bytes.subarray(used))) return -1;
    return used;
  }

  /**
   * Handles a message other than a whole CopyData, with the bytes read after it; returns whether
   * the reader reads on.
   */
  private other(message: Buffer, rest: Buffer): boolean {
    switch (message[0]) {
      case errorResponse:
        // pg parses the error (whole or not yet) and reports it through handleError.
        this.handBack(message, rest);
        return false;
      case copyDone:
        this.finish();
        this.handBack(rest);
        return false;
      default:
        // CopyOutResponse, or a notice or parameter status the server may send at any time.
        return true;
    }
  }
}
