import { PipelineError } from '@totes/pipeline';
import { BufferPool } from './buffer-pool';
import type { RowFormat, ValueRendering } from './row-format';

/** Where a row sits in its table: its primary key and its `last_updated`. */
export interface RowPosition {
  readonly id: number;
  readonly lastUpdated: string;
}

/**
 * A run of consecutive rows rendered as JSON Lines.
 *
 * A whole chunk (one object), or a piece of one when the chunker cuts pieces smaller than chunks.
 */
export interface RenderedChunk {
  readonly body: Buffer;
  readonly rows: number;
  readonly first: RowPosition;
  readonly last: RowPosition;
  /**
   * Whether this piece completes its chunk: the next piece starts the next chunk. The end of the
   * input ends the last chunk too, whatever its last piece says.
   */
  readonly endsChunk: boolean;
  /** Hands the body's memory back for a later chunk: call it once nothing reads the body any more. */
  release(): void;
}

/** COPY output that does not have the shape of the table's rows (retried: a later read may differ). */
export class CopyFormatError extends PipelineError {
  override readonly name = 'CopyFormatError';
}

const tab = 0x09;
const newline = 0x0a;
const quote = 0x22;
const backslash = 0x5c;
const letterN = 0x4e;
const letterT = 0x74;
// The protocol's code of a CopyData message ('d').
const copyData = 0x64;

// Small integers are cheaper to switch on in the per-byte loop than the rendering names.
const kindOf: Readonly<Record<ValueRendering, number>> = {
  number: 0,
  boolean: 1,
  decimal: 2,
  date: 2,
  timestamp3: 3,
  text: 4,
};

const copyEscapes: Readonly<Record<string, string>> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/**
 * Undoes COPY's text-format escaping.
 *
 * COPY TO writes a backslash before a backslash, the delimiter, and the control characters it names
 * (`\n`, `\t`, `\r`, `\b`, `\f`, `\v`); it never writes octal or hex escapes.
 */
export function unescapeCopyText(value: string): string {
  return value.replace(/\\(.)/gs, (_, char: string) => copyEscapes[char] ?? char);
}

function copyPosition(from: readonly number[], to: number[]): void {
  for (let i = 0; i < 4; i += 1) to[i] = from[i] as number;
}

const encoder = new TextEncoder();
const bytesOf = (text: string) => encoder.encode(text);
const nullBytes = bytesOf('null');
const trueBytes = bytesOf('true');
const falseBytes = bytesOf('false');
const lineEnd = bytesOf('}\n');
// What a timestamp(3) of each length COPY prints needs to end in three fraction digits.
const timestampPadding: readonly (Uint8Array | undefined)[] = Object.assign([], {
  19: bytesOf('.000'),
  21: bytesOf('00'),
  22: bytesOf('0'),
  23: new Uint8Array(0),
});

/**
 * Turns COPY's text output into JSON Lines with the row schemas' representation, in chunks.
 *
 * The input is `COPY (SELECT <columns>) TO STDOUT` (text format, DateStyle ISO); each chunk of
 * `chunkRows` rows is rendered as one piece, or as pieces of at most `pieceRows` rows that can be
 * compressed (or otherwise passed on) while the rest of the chunk is still being rendered.
 *
 * It works on bytes: each value is copied from the COPY output into the JSON line, and only text
 * that needs escaping is decoded and re-encoded. Rendering in JavaScript this way runs about 1.5×
 * faster here than having PostgreSQL build the JSON (whose `to_char` and `row_to_json` cost the
 * server more than the plain COPY does), and the COPY output is a third of the JSON's size.
 */
export class JsonLinesChunker {
  private readonly kinds: readonly number[];
  private readonly prefixes: readonly Uint8Array[];
  private readonly prefixBytes: number;
  // Empty until the first line, and again after each cut, so that ending takes no new buffer.
  private out: Buffer = Buffer.alloc(0);
  private pos = 0;
  private rows = 0;
  // Rows of the current chunk in the pieces already cut, and the row count that cuts this piece.
  private rowsInChunk = 0;
  private limit: number;
  private carry: Buffer | undefined;
  private estimate: number;
  // Output offsets of the key and last_updated values of the line being rendered, the chunk's
  // first line and its last line: [keyStart, keyEnd, timeStart, timeEnd].
  private readonly current = [0, 0, 0, 0];
  private readonly first = [0, 0, 0, 0];
  private readonly last = [0, 0, 0, 0];

  constructor(
    private readonly format: RowFormat,
    private readonly chunkRows: number,
    private readonly pool: BufferPool = new BufferPool(),
    private readonly pieceRows: number = chunkRows,
  ) {
    if (!Number.isInteger(chunkRows) || chunkRows < 1)
      throw new RangeError('chunkRows must be a positive integer');
    if (!Number.isInteger(pieceRows) || pieceRows < 1)
      throw new RangeError('pieceRows must be a positive integer');
    this.limit = Math.min(pieceRows, chunkRows);
    this.kinds = format.columns.map((column) => kindOf[column.rendering]);
    this.prefixes = format.columns.map((column, index) =>
      bytesOf(`${index === 0 ? '{' : ','}${JSON.stringify(column.name)}:`),
    );
    this.prefixBytes = this.prefixes.reduce((sum, prefix) => sum + prefix.length, 0);
    this.estimate = Math.min(this.limit * 320, 32 * 1024 * 1024);
  }

  /** Renders every complete line of `input`; returns the pieces that became full. */
  push(input: Buffer): RenderedChunk[] {
    const full: RenderedChunk[] = [];
    let start = 0;
    if (this.carry) {
      // Only the line split across inputs is joined; the rest is read where it lies, so each
      // input is not copied again (which doubled the garbage per row).
      const end = input.indexOf(newline);
      if (end < 0) {
        this.carry = Buffer.concat([this.carry, input]);
        return full;
      }
      const line = Buffer.concat([this.carry, input.subarray(0, end + 1)]);
      this.carry = undefined;
      this.renderLine(line, 0, line.length - 1);
      if (this.rows === this.limit) full.push(this.cut());
      start = end + 1;
    }
    for (;;) {
      const end = input.indexOf(newline, start);
      if (end < 0) break;
      this.renderLine(input, start, end);
      start = end + 1;
      if (this.rows === this.limit) full.push(this.cut());
    }
    if (start < input.length) this.carry = Buffer.from(input.subarray(start));
    return full;
  }

  /**
   * Renders COPY's rows as the protocol carries them: `input` holds whole CopyData messages (a
   * code byte, a 32-bit length, one line), read where they lie; returns the pieces that became
   * full. Nothing is carried from one input to the next.
   */
  pushMessages(input: Buffer): RenderedChunk[] {
    const full: RenderedChunk[] = [];
    const end = input.length;
    let at = 0;
    while (at < end) {
      const next = at + 5 <= end ? at + 1 + input.readUInt32BE(at + 1) : end + 1;
      if (input[at] !== copyData || next > end || input[next - 1] !== newline) {
        throw new CopyFormatError(
          `the COPY output of ${this.format.table} holds a message that is not a whole row`,
        );
      }
      this.renderLine(input, at + 5, next - 1);
      at = next;
      if (this.rows === this.limit) full.push(this.cut());
    }
    return full;
  }

  /** Ends the input: returns the last, partly filled piece, if any rows are left; it ends its chunk. */
  end(): RenderedChunk | undefined {
    if (this.carry) {
      throw new CopyFormatError(`the COPY output of ${this.format.table} ends in the middle of a line`);
    }
    return this.rows > 0 ? this.cut(true) : undefined;
  }

  private cut(final = false): RenderedChunk {
    const buffer = this.out;
    this.rowsInChunk += this.rows;
    const chunk = {
      body: buffer.subarray(0, this.pos),
      rows: this.rows,
      first: this.positionAt(this.first),
      last: this.positionAt(this.last),
      endsChunk: final || this.rowsInChunk === this.chunkRows,
      release: () => this.pool.give(buffer),
    };
    if (chunk.endsChunk) this.rowsInChunk = 0;
    this.limit = Math.min(this.pieceRows, this.chunkRows - this.rowsInChunk);
    // With room to spare, in coarse steps (a sixteenth of the size, at least 4 KiB), so that the
    // next chunks fit in this one's buffer once it is released.
    const step = 2 ** Math.max(12, Math.floor(Math.log2(this.pos + 1)) - 4);
    this.estimate = Math.max(this.estimate, Math.ceil((this.pos * 1.25) / step) * step);
    this.out = Buffer.alloc(0);
    this.pos = 0;
    this.rows = 0;
    return chunk;
  }

  private positionAt([keyStart, keyEnd, timeStart, timeEnd]: readonly number[]): RowPosition {
    return {
      id: Number(this.out.toString('latin1', keyStart, keyEnd)),
      lastUpdated: this.out.toString('latin1', timeStart, timeEnd),
    };
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.out.length) return;
    const grown = this.pool.take(Math.max(this.estimate, this.out.length * 2, this.pos + bytes));
    if (this.out.length > 0) {
      this.out.copy(grown, 0, 0, this.pos);
      this.pool.give(this.out);
    }
    this.out = grown;
  }

  private renderLine(line: Buffer, start: number, end: number): void {
    // Each value gains at most quotes and padding (or `false` for `f`); text that needs escaping
    // reserves what it needs itself.
    const budget = this.prefixBytes + (end - start) + this.kinds.length * 6 + 2;
    this.reserve(budget);
    const { kinds, prefixes, current } = this;
    const { keyIndex, lastUpdatedIndex } = this.format;
    const columns = kinds.length;
    // One pass per value: its bytes are copied while its end is looked for. `out` and `pos` are
    // kept in locals and stored back once per line.
    let out = this.out;
    let pos = this.pos;
    let at = start;
    for (let column = 0; column < columns; column += 1) {
      if (at > end) {
        throw new CopyFormatError(
          `a row of ${this.format.table} has ${column} values where ${columns} columns were expected`,
        );
      }
      const prefix = prefixes[column] as Uint8Array;
      out.set(prefix, pos);
      pos += prefix.length;
      let byte = at < end ? (line[at] as number) : tab;
      if (byte === backslash && line[at + 1] === letterN && (at + 2 === end || line[at + 2] === tab)) {
        out.set(nullBytes, pos);
        pos += nullBytes.length;
        at += 3;
        continue;
      }
      const kind = kinds[column];
      if (kind === 0) {
        if (column === keyIndex) current[0] = pos;
        while (byte !== tab && at < end) {
          out[pos++] = byte;
          byte = line[++at] as number;
        }
        if (column === keyIndex) current[1] = pos;
      } else if (kind === 1) {
        const value = byte === letterT ? trueBytes : falseBytes;
        out.set(value, pos);
        pos += value.length;
        while (at < end && line[at] !== tab) at += 1;
      } else {
        const valueStart = at;
        const outStart = pos;
        out[pos++] = quote;
        let special = false;
        while (byte !== tab && at < end) {
          if (byte === backslash || byte === quote || byte < 0x20) special = true;
          out[pos++] = byte;
          byte = line[++at] as number;
        }
        if (kind === 3) {
          const padding = timestampPadding[at - valueStart];
          if (!padding || special) {
            throw new CopyFormatError(
              `${this.format.table}.${this.format.columns[column]?.name} holds "${line.toString('utf8', valueStart, at)}", not a timestamp(3)`,
            );
          }
          out.set(padding, pos);
          pos += padding.length;
          if (column === lastUpdatedIndex) {
            current[2] = outStart + 1;
            current[3] = pos;
          }
          out[pos++] = quote;
        } else if (special && kind === 4) {
          // Rare: the copied bytes are written again, unescaped from COPY and escaped for JSON,
          // with room for the rest of the line as well.
          this.pos = outStart;
          this.writeEscapedText(line.toString('utf8', valueStart, at), budget - (at - start));
          out = this.out;
          pos = this.pos;
        } else {
          out[pos++] = quote;
        }
      }
      at += 1;
    }
    if (at !== end + 1) {
      throw new CopyFormatError(`a row of ${this.format.table} has more values than its ${columns} columns`);
    }
    out.set(lineEnd, pos);
    this.pos = pos + lineEnd.length;
    if (this.rows === 0) copyPosition(current, this.first);
    copyPosition(current, this.last);
    this.rows += 1;
  }

  /** Writes text as a JSON string, with room for `more` bytes after it. */
  private writeEscapedText(copied: string, more: number): void {
    const json = JSON.stringify(copied.includes('\\') ? unescapeCopyText(copied) : copied);
    this.reserve(Buffer.byteLength(json) + more);
    this.pos += this.out.write(json, this.pos);
  }
}
