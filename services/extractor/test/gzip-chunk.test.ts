import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GzipChunk } from '../src/gzip-chunk';
import type { RenderedChunk } from '../src/json-lines-chunker';

function piece(id: number, text: string, released: number[]): RenderedChunk {
  const position = { id, lastUpdated: `2022-11-03 14:20:52.${String(id).padStart(3, '0')}` };
  return {
    body: Buffer.from(text),
    rows: 1,
    first: position,
    last: position,
    endsChunk: false,
    release: () => released.push(id),
  };
}

describe('GzipChunk', () => {
  it('compresses its pieces in order into one gzip file of one member each, releasing each once compressed', async () => {
    const released: number[] = [];
    const lines = Array.from(
      { length: 40 },
      (_, i) => `${JSON.stringify({ id: i + 1, note: 'x'.repeat(i * 997) })}\n`,
    );
    const chunk = new GzipChunk();
    for (const [index, line] of lines.entries()) await chunk.add(piece(index + 1, line, released));
    const compressed = await chunk.finish();

    expect(gunzipSync(compressed.body).toString()).toBe(lines.join(''));
    expect(compressed.rows).toBe(40);
    expect(compressed.first.id).toBe(1);
    expect(compressed.last.id).toBe(40);
    expect(compressed.body.length).toBeLessThan(Buffer.byteLength(lines.join('')) / 5);
    // Members compress side by side, so they may finish in any order; each is released once.
    expect(released.toSorted((a, b) => a - b)).toEqual(lines.map((_, i) => i + 1));
  });

  it('refuses to finish a chunk without rows', async () => {
    await expect(new GzipChunk().finish()).rejects.toThrow('at least one row');
  });
});
