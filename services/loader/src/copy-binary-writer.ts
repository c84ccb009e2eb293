/** The signature, flags and header extension that open a binary COPY stream. */
export const copyBinaryHeader = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);

/** The field count −1 that ends a binary COPY stream. */
export const copyBinaryTrailer = Buffer.from([0xff, 0xff]);

/**
 * Writes rows in PostgreSQL's binary COPY format into buffers of about `chunkBytes`, handed out
 * with {@link CopyBinaryWriter.take}. Values go straight into bytes: no per-value strings, so the
 * garbage (and the process's memory) stays small however many rows pass through.
 */
export class CopyBinaryWriter {
  #buffer: Buffer;
  #offset = 0;
  readonly #chunkBytes: number;

  constructor(chunkBytes = 1 << 20) {
    this.#chunkBytes = chunkBytes;
    this.#buffer = Buffer.allocUnsafe(chunkBytes);
  }

  /** Bytes written since the last {@link take}. */
  get size(): number {
    return this.#offset;
  }

  #ensure(bytes: number): void {
    if (this.#offset + bytes <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#chunkBytes, (this.#offset + bytes) * 2));
    this.#buffer.copy(grown, 0, 0, this.#offset);
    this.#buffer = grown;
  }

  /** Starts a row of `fields` fields. */
  row(fields: number): void {
    this.#ensure(2);
    this.#offset = this.#buffer.writeInt16BE(fields, this.#offset);
  }

  null(): void {
    this.#ensure(4);
    this.#offset = this.#buffer.writeInt32BE(-1, this.#offset);
  }

  int32(value: number): void {
    this.#ensure(8);
    this.#offset = this.#buffer.writeInt32BE(4, this.#offset);
    this.#offset = this.#buffer.writeInt32BE(value, this.#offset);
  }

  /** A 64-bit integer given as a safe JavaScript integer. */
  int64(value: number): void {
    this.#ensure(12);
    this.#offset = this.#buffer.writeInt32BE(8, this.#offset);
    this.#offset = this.#buffer.writeInt32BE(Math.floor(value / 2 ** 32), this.#offset);
    this.#offset = this.#buffer.writeUInt32BE(value >>> 0, this.#offset);
  }

  boolean(value: boolean): void {
    this.#ensure(5);
    this.#offset = this.#buffer.writeInt32BE(1, this.#offset);
    this.#offset = this.#buffer.writeUInt8(value ? 1 : 0, this.#offset);
  }

  bytes(value: Uint8Array): void {
    this.#ensure(4 + value.length);
    this.#offset = this.#buffer.writeInt32BE(value.length, this.#offset);
    this.#buffer.set(value, this.#offset);
    this.#offset += value.length;
  }

  text(value: string): void {
    const length = Buffer.byteLength(value, 'utf8');
    this.#ensure(4 + length);
    this.#offset = this.#buffer.writeInt32BE(length, this.#offset);
    this.#offset += this.#buffer.write(value, this.#offset, 'utf8');
  }

  /** A `numeric` from its binary parts (see `numericBinary`). */
  numeric(weight: number, sign: number, dscale: number, digits: readonly number[]): void {
    const length = 8 + 2 * digits.length;
    this.#ensure(4 + length);
    let offset = this.#buffer.writeInt32BE(length, this.#offset);
    offset = this.#buffer.writeInt16BE(digits.length, offset);
    offset = this.#buffer.writeInt16BE(weight, offset);
    offset = this.#buffer.writeUInt16BE(sign, offset);
    offset = this.#buffer.writeInt16BE(dscale, offset);
    for (const digit of digits) offset = this.#buffer.writeInt16BE(digit, offset);
    this.#offset = offset;
  }

  /** The bytes written since the last call, as a buffer of their own; undefined when none. */
  take(): Buffer | undefined {
    if (this.#offset === 0) return undefined;
    const written = this.#buffer.subarray(0, this.#offset);
    this.#buffer = Buffer.allocUnsafe(this.#chunkBytes);
    this.#offset = 0;
    return written;
  }
}
