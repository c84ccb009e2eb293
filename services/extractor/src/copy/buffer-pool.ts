/**
 * A few large buffers handed out again once returned.
 *
 * Rendering chunk after chunk reuses the same memory instead of leaving a chunk-sized buffer for
 * the garbage collector each time (unrecycled, dead chunk buffers held over 100 MB at any moment of
 * a 1M-row run).
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  /** Keeps at most `keep` returned buffers. */
  constructor(private readonly keep = 2) {}

  /**
   * A buffer of at least `bytes` bytes, reused when one is free; its content is undefined.
   * Requested sizes only grow, so free buffers too small for this request are dropped.
   */
  take(bytes: number): Buffer {
    const index = this.free.findIndex((buffer) => buffer.length >= bytes);
    if (index >= 0) return this.free.splice(index, 1)[0] as Buffer;
    this.free.length = 0;
    return Buffer.allocUnsafe(bytes);
  }

  /** Returns a buffer nobody reads any more. */
  give(buffer: Buffer): void {
    if (this.free.length < this.keep) this.free.push(buffer);
  }
}
