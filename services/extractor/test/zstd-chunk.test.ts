import { zstdDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { RenderedChunk } from '../src/json-lines-chunker';
import { ZstdChunk, ZstdFrames } from '../src/zstd-chunk';

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

/** The number of zstd frames in `body`, read by their magic number at each frame's start. */
function framesIn(body: Buffer): number {
  let frames = 0;
  for (let at = body.indexOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd])); at >= 0; frames += 1) {
    at = body.indexOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), at + 4);
  }
  return frames;
}

describe('ZstdChunk', () => {
  it('compresses its pieces in order into one zstd frame, releasing each once compressed', async () => {
    const released: number[] = [];
    const lines = Array.from(
      { length: 40 },
      (_, i) => `${JSON.stringify({ id: i + 1, note: 'x'.repeat(i * 997) })}\n`,
    );
    const frames = new ZstdFrames();
    const chunk = new ZstdChunk(frames);
    for (const [index, line] of lines.entries()) await chunk.add(piece(index + 1, line, released));
    const compressed = await chunk.finish();
    frames.close();

    expect(zstdDecompressSync(compressed.body).toString()).toBe(lines.join(''));
    expect(framesIn(compressed.body)).toBe(1);
    expect(compressed.rows).toBe(40);
    expect(compressed.first.id).toBe(1);
    expect(compressed.last.id).toBe(40);
    expect(compressed.body.length).toBeLessThan(Buffer.byteLength(lines.join('')) / 5);
    expect(released).toEqual(lines.map((_, i) => i + 1));
  });

  it('shares its stream with the chunks after it: each chunk is a whole frame of its own', async () => {
    const frames = new ZstdFrames();
    const texts = ['alpha', 'beta', 'gamma'].map(
      (word) => `${JSON.stringify({ word, pad: word.repeat(5_000) })}\n`,
    );
    try {
      const bodies: Buffer[] = [];
      for (const [index, text] of texts.entries()) {
        const chunk = new ZstdChunk(frames);
        for (let n = 0; n < 5; n += 1) await chunk.add(piece(index * 5 + n + 1, text, []));
        bodies.push((await chunk.finish()).body);
      }

      expect(bodies.map((body) => zstdDecompressSync(body).toString())).toEqual(
        texts.map((text) => text.repeat(5)),
      );
      expect(bodies.map(framesIn)).toEqual([1, 1, 1]);
    } finally {
      frames.close();
    }
  });

  it('refuses to finish a chunk without rows, and refuses pieces once the stream is closed', async () => {
    const frames = new ZstdFrames();
    await expect(new ZstdChunk(frames).finish()).rejects.toThrow('at least one row');
    frames.close();
    await expect(frames.write(Buffer.from('{}\n'))).rejects.toThrow('closed');
    await expect(frames.endFrame()).rejects.toThrow('closed');
  });
});
