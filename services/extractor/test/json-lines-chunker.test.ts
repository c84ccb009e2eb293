import { totesysTables } from '@totes/schema';
import { describe, expect, it } from 'vitest';
import {
  CopyFormatError,
  JsonLinesChunker,
  type RenderedChunk,
  unescapeCopyText,
} from '../src/copy/json-lines-chunker';
import { rowFormat } from '../src/copy/row-format';

// COPY text lines as PostgreSQL prints them (DateStyle ISO): tab-separated, \N for NULL.
const salesOrderLine = (id: number, lastUpdated: string) =>
  `${id}\t2022-11-03 14:20:52.1\t${lastUpdated}\t3\t10\t20\t73197\t2.60\t3\t2022-11-06\t2022-11-05\t11\n`;

function renderAll(table: Parameters<typeof rowFormat>[0], copy: string, chunkRows = 1000): RenderedChunk[] {
  const chunker = new JsonLinesChunker(rowFormat(table), chunkRows);
  const chunks = chunker.push(Buffer.from(copy));
  const last = chunker.end();
  return last ? [...chunks, last] : chunks;
}

const linesOf = (chunk: RenderedChunk) =>
  chunk.body
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('JsonLinesChunker', () => {
  it('renders a row with the row schema representation, in column order', () => {
    const [chunk] = renderAll('sales_order', salesOrderLine(1, '2022-11-03 14:20:52'));

    expect(chunk?.body.toString()).toBe(
      '{"sales_order_id":1,"created_at":"2022-11-03 14:20:52.100","last_updated":"2022-11-03 14:20:52.000",' +
        '"design_id":3,"staff_id":10,"counterparty_id":20,"units_sold":73197,"unit_price":"2.60","currency_id":3,' +
        '"agreed_delivery_date":"2022-11-06","agreed_payment_date":"2022-11-05","agreed_delivery_location_id":11}\n',
    );
    expect(totesysTables.sales_order.parse(linesOf(chunk as RenderedChunk)[0])).toBeTruthy();
  });

  it.each([
    ['2022-11-03 14:20:52', '2022-11-03 14:20:52.000'],
    ['2022-11-03 14:20:52.1', '2022-11-03 14:20:52.100'],
    ['2022-11-03 14:20:52.12', '2022-11-03 14:20:52.120'],
    ['2022-11-03 14:20:52.186', '2022-11-03 14:20:52.186'],
  ])('writes the timestamp %s with three fraction digits', (copied, rendered) => {
    const [chunk] = renderAll('sales_order', salesOrderLine(1, copied));

    expect(linesOf(chunk as RenderedChunk)[0]?.last_updated).toBe(rendered);
    expect(chunk?.last.lastUpdated).toBe(rendered);
  });

  it('writes NULL as null, booleans as true/false and enum labels as strings', () => {
    const payment =
      '7\t2022-11-03 14:20:52.186\t2022-11-04 09:00:00.5\t7\t1\t123.45\t1\t1\tt\t2022-11-04\t1\t2\n';
    const unpaid = payment.replace('\tt\t', '\tf\t');
    const transaction = '9\tSALE\t\\N\t5\t2022-11-03 14:20:52.186\t2022-11-03 14:20:52.186\n';

    const [paid] = renderAll('payment', payment);
    const [notPaid] = renderAll('payment', unpaid);
    const [sale] = renderAll('transaction', transaction);

    expect(linesOf(paid as RenderedChunk)[0]).toMatchObject({ paid: true, payment_amount: '123.45' });
    expect(linesOf(notPaid as RenderedChunk)[0]).toMatchObject({ paid: false });
    expect(linesOf(sale as RenderedChunk)[0]).toMatchObject({
      transaction_type: 'SALE',
      sales_order_id: null,
      purchase_order_id: 5,
    });
  });

  it('undoes COPY escapes and escapes JSON: backslash, quote, tab, newline, CR, control and non-ASCII text', () => {
    const original = 'C:\\files\\"quoted"\there\nnext\rline \u0001 \u007f é 日本 🎉 \\N';
    const copied = original
      .replaceAll('\\', '\\\\')
      .replaceAll('\t', '\\t')
      .replaceAll('\n', '\\n')
      .replaceAll('\r', '\\r');
    const line = `4\t2022-11-03 14:20:49.962\t${copied}\t${copied}\t\\N\t2022-11-03 14:20:49.962\n`;

    const [chunk] = renderAll('design', line);

    const row = linesOf(chunk as RenderedChunk)[0];
    expect(row?.design_name).toBe(original);
    expect(row?.file_location).toBe(original);
    expect(row?.file_name).toBeNull();
    expect(chunk?.body.toString().split('\n')).toHaveLength(2);
  });

  it('cuts chunks of exactly chunkRows rows and reports their first and last positions', () => {
    const copy = Array.from({ length: 7 }, (_, i) =>
      salesOrderLine(i + 1, `2022-11-0${i + 1} 10:00:00.5`),
    ).join('');

    const chunks = renderAll('sales_order', copy, 3);

    expect(chunks.map((chunk) => chunk.rows)).toEqual([3, 3, 1]);
    expect(chunks.map((chunk) => [chunk.first, chunk.last])).toEqual([
      [
        { id: 1, lastUpdated: '2022-11-01 10:00:00.500' },
        { id: 3, lastUpdated: '2022-11-03 10:00:00.500' },
      ],
      [
        { id: 4, lastUpdated: '2022-11-04 10:00:00.500' },
        { id: 6, lastUpdated: '2022-11-06 10:00:00.500' },
      ],
      [
        { id: 7, lastUpdated: '2022-11-07 10:00:00.500' },
        { id: 7, lastUpdated: '2022-11-07 10:00:00.500' },
      ],
    ]);
    expect(chunks.flatMap(linesOf).map((row) => row.sales_order_id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('cuts pieces of at most pieceRows rows that never cross a chunk boundary, marking the last of each chunk', () => {
    const copy = Array.from({ length: 12 }, (_, i) =>
      salesOrderLine(i + 1, `2022-11-0${(i % 9) + 1} 10:00:00.5`),
    );
    const chunker = new JsonLinesChunker(rowFormat('sales_order'), 5, undefined, 2);
    const pieces = [
      ...chunker.push(Buffer.from(copy.slice(0, 7).join(''))),
      ...chunker.push(Buffer.from(copy.slice(7).join(''))),
    ];
    const last = chunker.end();
    if (last) pieces.push(last);

    expect(pieces.map((piece) => [piece.rows, piece.endsChunk])).toEqual([
      [2, false],
      [2, false],
      [1, true],
      [2, false],
      [2, false],
      [1, true],
      // Full before the input ended: the end of the input, not the piece, ends the last chunk.
      [2, false],
    ]);
    expect(last).toBeUndefined();
    expect(pieces.map((piece) => piece.first.id)).toEqual([1, 3, 5, 6, 8, 10, 11]);
    expect(pieces.flatMap(linesOf).map((row) => row.sales_order_id)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
  });

  it('renders the same bytes however the input is split into pieces', () => {
    const copy = Buffer.from(
      [salesOrderLine(1, '2022-11-03 14:20:52'), salesOrderLine(2, '2022-11-03 14:20:53.25')].join(''),
    );
    const whole = renderAll('sales_order', copy.toString(), 1)
      .map((chunk) => chunk.body.toString())
      .join('');

    for (let cut = 1; cut < copy.length; cut += 1) {
      const chunker = new JsonLinesChunker(rowFormat('sales_order'), 1);
      const pieces = [...chunker.push(copy.subarray(0, cut)), ...chunker.push(copy.subarray(cut))];
      const last = chunker.end();
      const rendered = [...pieces, ...(last ? [last] : [])].map((chunk) => chunk.body.toString()).join('');
      expect(rendered).toBe(whole);
    }
  });

  it('grows its buffer for rows far larger than expected', () => {
    const long = 'x'.repeat(100_000);
    const line = `4\t2022-11-03 14:20:49.962\t${long}\t"${long}"\t${long}\t2022-11-03 14:20:49.962\n`;

    const [chunk] = renderAll('design', line.repeat(3), 3);

    expect(linesOf(chunk as RenderedChunk).map((row) => row.file_location)).toEqual([
      `"${long}"`,
      `"${long}"`,
      `"${long}"`,
    ]);
  });

  it('keeps every line whole when escaping text makes it six times longer than its COPY text', () => {
    // Control characters other than the ones COPY names arrive raw and become \u00XX in JSON;
    // the long value after them still needs room in the same buffer.
    const control = '\u0001'.repeat(300);
    const long = 'y'.repeat(2_000);
    const rows = Array.from(
      { length: 1_000 },
      (_, i) => `${i + 1}\t2022-11-03 14:20:49.962\t${control}\t${long}${i}\tz\t2022-11-03 14:20:49.962\n`,
    );

    const rendered = renderAll('design', rows.join(''), 1_000).flatMap(linesOf);

    expect(rendered).toHaveLength(1_000);
    for (const [i, row] of rendered.entries()) {
      expect(row).toEqual({
        design_id: i + 1,
        created_at: '2022-11-03 14:20:49.962',
        design_name: control,
        file_location: `${long}${i}`,
        file_name: 'z',
        last_updated: '2022-11-03 14:20:49.962',
      });
    }
  });

  it('renders the next chunk into the memory of a released one', () => {
    const chunker = new JsonLinesChunker(rowFormat('sales_order'), 2);
    const twoLines = (from: number) =>
      Buffer.from(
        salesOrderLine(from, '2022-11-03 14:20:52') + salesOrderLine(from + 1, '2022-11-03 14:20:53'),
      );
    chunker.push(twoLines(1))[0]?.release();

    const [second] = chunker.push(twoLines(3));
    const memory = second?.body.buffer;
    second?.release();
    const [third] = chunker.push(twoLines(5));

    // Compared as a boolean: a failing comparison of two ArrayBuffers would print every byte.
    expect(third?.body.buffer === memory).toBe(true);
    expect(third?.first.id).toBe(5);
  });

  it('returns nothing at the end of an empty result', () => {
    expect(renderAll('currency', '')).toEqual([]);
  });

  it.each([
    ['too few values', '1\tGBP\n'],
    ['too many values', '1\tGBP\t2022-11-03 14:20:49.962\t2022-11-03 14:20:49.962\textra\n'],
    ['a timestamp it cannot read', '1\tGBP\tinfinity\t2022-11-03 14:20:49.962\n'],
  ])('refuses a row with %s', (_, line) => {
    expect(() => renderAll('currency', line)).toThrow(CopyFormatError);
  });

  it('refuses output that ends part-way through a line', () => {
    const chunker = new JsonLinesChunker(rowFormat('currency'), 10);
    chunker.push(Buffer.from('1\tGBP\t2022-11-03 14:20:49.962\t2022'));

    expect(() => chunker.end()).toThrow(/middle of a line/);
  });
});

/** COPY text lines framed as the protocol carries them: one CopyData message per line. */
function copyDataMessages(copy: string): Buffer {
  const lines = copy.split(/(?<=\n)/).filter((line) => line !== '');
  return Buffer.concat(
    lines.map((line) => {
      const text = Buffer.from(line);
      const message = Buffer.alloc(5 + text.length);
      message.write('d', 0, 'latin1');
      message.writeUInt32BE(4 + text.length, 1);
      text.copy(message, 5);
      return message;
    }),
  );
}

describe('JsonLinesChunker.pushMessages', () => {
  const copy = Array.from({ length: 7 }, (_, i) => salesOrderLine(i + 1, `2022-11-03 14:20:5${i}.25`)).join(
    '',
  );

  it('renders CopyData messages exactly as the same lines of text', () => {
    const fromText = renderAll('sales_order', copy, 3);
    const chunker = new JsonLinesChunker(rowFormat('sales_order'), 3);
    const fromMessages = chunker.pushMessages(copyDataMessages(copy));
    const last = chunker.end();
    if (last) fromMessages.push(last);

    expect(fromMessages.map((chunk) => chunk.body.toString())).toEqual(
      fromText.map((chunk) => chunk.body.toString()),
    );
    expect(fromMessages.map((chunk) => [chunk.rows, chunk.first, chunk.last])).toEqual(
      fromText.map((chunk) => [chunk.rows, chunk.first, chunk.last]),
    );
  });

  it('refuses a message that is not CopyData, is cut short, or does not end its line', () => {
    const good = copyDataMessages(salesOrderLine(1, '2022-11-03 14:20:52'));
    const notCopyData = Buffer.from(good);
    notCopyData.write('D', 0, 'latin1');
    const unended = copyDataMessages(salesOrderLine(1, '2022-11-03 14:20:52').replace('\n', '\t'));
    for (const input of [notCopyData, good.subarray(0, good.length - 3), good.subarray(0, 3), unended]) {
      expect(() => new JsonLinesChunker(rowFormat('sales_order'), 10).pushMessages(input)).toThrow(
        CopyFormatError,
      );
    }
  });
});

describe('unescapeCopyText', () => {
  it.each([
    ['a\\\\b', 'a\\b'],
    ['a\\tb\\nc\\rd', 'a\tb\nc\rd'],
    ['\\b\\f\\v', '\b\f\v'],
    ['plain é', 'plain é'],
  ])('reads %s as COPY meant it', (copied, value) => {
    expect(unescapeCopyText(copied)).toBe(value);
  });
});
