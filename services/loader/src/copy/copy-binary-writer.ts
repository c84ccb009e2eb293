/** The signature, flags and header extension that open a binary COPY stream. */
export const copyBinaryHeader = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);

/** The field count −1 that ends a binary COPY stream. */
export const copyBinaryTrailer = Buffer.from([0xff, 0xff]);

/**
 * Writes rows in PostgreSQL's binary COPY format into buffers of about `chunkBytes`.
 *
 * They are handed out with {@link CopyBinaryWriter.take}. Values go straight into bytes: no
 * per-value strings, so the garbage (and the process's memory) stays small however many rows pass
 * through.
 */
export class CopyBinaryWriter {
  #buffer: Buffer;
  // Big-endian stores through a DataView compile to a few instructions; Buffer's writeInt32BE
  // checks its arguments on every call (a quarter of the encoding time).
  #view: DataView;
  #offset = 0;
  readonly #chunkBytes: number;

  constructor(chunkBytes = 1 << 20) {
    this.#chunkBytes = chunkBytes;
    this.#buffer = Buffer.allocUnsafe(chunkBytes);
    this.#view = new DataView(this.#buffer.buffer, this.#buffer.byteOffset, this.#buffer.byteLength);
  }

  #use(buffer: Buffer): void {
    this.#buffer = buffer;
    this.#view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  /** Bytes written since the last {@link take}. */
  get size(): number {
    return this.#offset;
  }

  #ensure(bytes: number): void {
    if (this.#offset + bytes <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#chunkBytes, (this.#offset + bytes) * 2));
    this.#buffer.copy(grown, 0, 0, this.#offset);
    this.#use(grown);
  }

  /** Starts a row of `fields` fields. */
  row(fields: number): void {
    this.#ensure(2);
    this.#view.setInt16(this.#offset, fields);
    this.#offset += 2;
  }

  null(): void {
    this.#ensure(4);
    this.#view.setInt32(this.#offset, -1);
    this.#offset += 4;
  }

  int32(value: number): void {
    this.#ensure(8);
    const view = this.#view;
    const offset = this.#offset;
    view.setInt32(offset, 4);
    view.setInt32(offset + 4, value);
    this.#offset = offset + 8;
  }

  /** A 64-bit integer given as a safe JavaScript integer. */
  int64(value: number): void {
    this.#ensure(12);
    const view = this.#view;
    const offset = this.#offset;
    view.setInt32(offset, 8);
    view.setInt32(offset + 4, Math.floor(value / 2 ** 32));
    view.setUint32(offset + 8, value >>> 0);
    this.#offset = offset + 12;
  }

  boolean(value: boolean): void {
    this.#ensure(5);
    this.#view.setInt32(this.#offset, 1);
    this.#view.setUint8(this.#offset + 4, value ? 1 : 0);
    this.#offset += 5;
  }

  bytes(value: Uint8Array): void {
    this.#ensure(4 + value.length);
    this.#view.setInt32(this.#offset, value.length);
    this.#buffer.set(value, this.#offset + 4);
    this.#offset += 4 + value.length;
  }

  text(value: string): void {
    const length = Buffer.byteLength(value, 'utf8');
    this.#ensure(4 + length);
    this.#view.setInt32(this.#offset, length);
    this.#offset += 4 + this.#buffer.write(value, this.#offset + 4, 'utf8');
  }

  /** A `numeric` from its binary parts (see `numericBinary`). */
  numeric(weight: number, sign: number, dscale: number, digits: readonly number[]): void {
    const length = 8 + 2 * digits.length;
    this.#ensure(4 + length);
    const view = this.#view;
    let offset = this.#offset;
    view.setInt32(offset, length);
    view.setInt16(offset + 4, digits.length);
    view.setInt16(offset + 6, weight);
    view.setUint16(offset + 8, sign);
    view.setInt16(offset + 10, dscale);
    offset += 12;
    for (let index = 0; index < digits.length; index += 1) {
      view.setInt16(offset, digits[index] as number);
      offset += 2;
    }
    this.#offset = offset;
  }

  /** The bytes written since the last call, as a buffer of their own; undefined when none. */
  take(): Buffer | undefined {
    if (this.#offset === 0) return undefined;
    const written = this.#buffer.subarray(0, this.#offset);
    this.#use(Buffer.allocUnsafe(this.#chunkBytes));
    this.#offset = 0;
    return written;
  }
}
