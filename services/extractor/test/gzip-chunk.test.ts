import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GzipChunk } from '../src/gzip-chunk';
import { GzipMembers } from '../src/gzip-members';
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
    const compressor = new GzipMembers(3);
    const chunk = new GzipChunk(compressor);
    for (const [index, line] of lines.entries()) await chunk.add(piece(index + 1, line, released));
    const compressed = await chunk.finish();
    compressor.close();

    expect(gunzipSync(compressed.body).toString()).toBe(lines.join(''));
    expect(compressed.rows).toBe(40);
    expect(compressed.first.id).toBe(1);
    expect(compressed.last.id).toBe(40);
    expect(compressed.body.length).toBeLessThan(Buffer.byteLength(lines.join('')) / 5);
    // Members compress side by side, so they may finish in any order; each is released once.
    expect(released.toSorted((a, b) => a - b)).toEqual(lines.map((_, i) => i + 1));
  });

  it('shares its compressor with the chunks after it: each chunk is a whole gzip file of its own', async () => {
    const compressor = new GzipMembers(2);
    const texts = ['alpha', 'beta', 'gamma'].map(
      (word) => `${JSON.stringify({ word, pad: word.repeat(5_000) })}\n`,
    );
    try {
      const bodies: Buffer[] = [];
      for (const [index, text] of texts.entries()) {
        const chunk = new GzipChunk(compressor);
        for (let n = 0; n < 5; n += 1) await chunk.add(piece(index * 5 + n + 1, text, []));
        bodies.push((await chunk.finish()).body);
      }

      expect(bodies.map((body) => gunzipSync(body).toString())).toEqual(texts.map((text) => text.repeat(5)));
    } finally {
      compressor.close();
    }
  });

  it('refuses to finish a chunk without rows', async () => {
    await expect(new GzipChunk(new GzipMembers(1)).finish()).rejects.toThrow('at least one row');
  });
});
