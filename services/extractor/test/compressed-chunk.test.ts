import { gunzipSync, zstdDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chunkCompressor } from '../src/compression/compressed-chunk';
import { ZstdFrames } from '../src/compression/zstd-chunk';
import type { RenderedChunk } from '../src/copy/json-lines-chunker';

function piece(id: number, text: string, released: number[] = []): RenderedChunk {
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

const lines = Array.from(
  { length: 40 },
  (_, i) => `${JSON.stringify({ id: i + 1, note: 'x'.repeat(i * 997) })}\n`,
);
const texts = ['alpha', 'beta', 'gamma'].map(
  (word) => `${JSON.stringify({ word, pad: word.repeat(5_000) })}\n`,
);

/** The number of zstd frames in `body`, counted by the magic number each frame starts with. */
function framesIn(body: Buffer): number {
  const magic = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
  let frames = 0;
  for (let at = body.indexOf(magic); at >= 0; at = body.indexOf(magic, at + magic.length)) frames += 1;
  return frames;
}

describe.each([
  { compression: 'zstd', decompress: zstdDecompressSync },
  { compression: 'gzip', decompress: gunzipSync },
] as const)('a $compression chunk', ({ compression, decompress }) => {
  it('compresses its pieces in order into one body, releasing each piece once compressed', async () => {
    const released: number[] = [];
    const compressor = chunkCompressor(compression);
    const chunk = compressor.chunk();
    for (const [index, line] of lines.entries()) await chunk.add(piece(index + 1, line, released));
    const compressed = await chunk.finish();
    compressor.close();

    expect(decompress(compressed.body).toString()).toBe(lines.join(''));
    expect(compressed).toMatchObject({ rows: 40, first: { id: 1 }, last: { id: 40 } });
    expect(compressed.body.length).toBeLessThan(Buffer.byteLength(lines.join('')) / 5);
    // gzip members compress side by side, so they may finish in any order; each is released once.
    expect(released.toSorted((a, b) => a - b)).toEqual(lines.map((_, i) => i + 1));
  });

  it('shares its streams with the chunks after it: each chunk is a whole body of its own', async () => {
    const compressor = chunkCompressor(compression);
    try {
      const bodies: Buffer[] = [];
      for (const [index, text] of texts.entries()) {
        const chunk = compressor.chunk();
        for (let n = 0; n < 5; n += 1) await chunk.add(piece(index * 5 + n + 1, text));
        bodies.push((await chunk.finish()).body);
      }

      expect(bodies.map((body) => decompress(body).toString())).toEqual(texts.map((text) => text.repeat(5)));
      if (compression === 'zstd') expect(bodies.map(framesIn)).toEqual([1, 1, 1]);
    } finally {
      compressor.close();
    }
  });

  it('refuses to finish a chunk without rows', async () => {
    const compressor = chunkCompressor(compression);
    await expect(compressor.chunk().finish()).rejects.toThrow('at least one row');
    compressor.close();
  });
});

describe('ZstdFrames', () => {
  it('refuses pieces and frames once closed', async () => {
    const frames = new ZstdFrames();
    frames.close();
    await expect(frames.write(Buffer.from('{}\n'))).rejects.toThrow('closed');
    await expect(frames.endFrame()).rejects.toThrow('closed');
  });
});
