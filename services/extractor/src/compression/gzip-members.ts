import { constants, createGzip, type Gzip, type ZlibOptions, type ZlibReset } from 'node:zlib';

// Level 1: the JSON Lines of totesys rows shrink six- to sevenfold at over 250 MB/s of one core;
// higher levels save little more for several times the CPU (docs/decisions/0001-gzip-ingest-objects.md).
// A 2,000-row piece compresses to about 90 KB, so one output buffer usually holds its member.
const options: ZlibOptions = { level: 1, chunkSize: 128 * 1024 };

/**
 * One long-lived zlib stream that compresses one piece at a time into one gzip member: it writes
 * the piece, finishes the member (`Z_FINISH`) and resets the stream for the next. Reusing the
 * stream keeps its native state and output buffer instead of allocating both for every piece,
 * which, at 500 pieces per million rows, was enough external memory to make V8 run a full
 * garbage collection every few chunks.
 */
class GzipLane {
  // Every zlib stream has reset(); Node's types declare it only for some.
  private readonly engine = createGzip(options) as Gzip & ZlibReset;
  private parts: Buffer[] = [];
  private failure: Error | undefined;
  private closed = false;
  private fail: ((error: Error) => void) | undefined;
  private turn: Promise<unknown> = Promise.resolve();

  constructor() {
    this.engine.on('data', (part: Buffer) => this.parts.push(part));
    this.engine.on('error', (error: Error) => {
      this.failure = error;
      this.fail?.(error);
    });
  }

  /** Compresses `piece` into one gzip member once the pieces given before it are done. */
  compress(piece: Buffer): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('the gzip compressor is closed'));
    const member = this.turn.then(() => this.member(piece));
    this.turn = member.catch(() => undefined);
    return member;
  }

  /** Closes the stream once the pieces already given are compressed; later pieces are refused. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.turn.then(() => this.engine.close());
  }

  private member(piece: Buffer): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.fail = reject;
      this.engine.write(piece);
      this.engine.flush(constants.Z_FINISH, () => {
        this.fail = undefined;
        if (this.failure) return reject(this.failure);
        const parts = this.parts;
        this.parts = [];
        this.engine.reset();
        resolve(parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts));
      });
    });
  }
}

/**
 * Compresses pieces into gzip members on libuv's thread pool, up to `lanes` pieces at once.
 *
 * It uses `lanes` long-lived zlib streams, taken in turn.
 */
export class GzipMembers {
  private readonly lanes: GzipLane[];
  private next = 0;

  constructor(lanes: number) {
    this.lanes = Array.from({ length: lanes }, () => new GzipLane());
  }

  /** The gzip member of `piece`; the piece must stay unchanged until it resolves. */
  compress(piece: Buffer): Promise<Buffer> {
    const lane = this.lanes[this.next] as GzipLane;
    this.next = (this.next + 1) % this.lanes.length;
    return lane.compress(piece);
  }

  /**
   * Frees the streams' native memory once the pieces already given are compressed; pieces given
   * afterwards are refused.
   */
  close(): void {
    for (const lane of this.lanes) lane.close();
  }
}
