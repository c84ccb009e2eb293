import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GzipMembers } from '../src/compression/gzip-members';

describe('GzipMembers', () => {
  it('makes one complete gzip member of each piece, in the order given, over its few reused streams', async () => {
    const compressor = new GzipMembers(3);
    const pieces = Array.from({ length: 50 }, (_, i) => Buffer.from(`${i}:${'row,'.repeat(i * 300)}\n`));
    try {
      const members = await Promise.all(pieces.map((piece) => compressor.compress(piece)));

      for (const [index, member] of members.entries()) expect(gunzipSync(member)).toEqual(pieces[index]);
      expect(gunzipSync(Buffer.concat(members))).toEqual(Buffer.concat(pieces));
      expect(members[49]?.length).toBeLessThan((pieces[49]?.length ?? 0) / 20);
    } finally {
      compressor.close();
    }
  });

  it('compresses an empty piece to an empty member', async () => {
    const compressor = new GzipMembers(1);
    try {
      expect(gunzipSync(await compressor.compress(Buffer.alloc(0))).length).toBe(0);
    } finally {
      compressor.close();
    }
  });

  it('once closed, finishes the pieces already given and refuses later ones', async () => {
    const compressor = new GzipMembers(2);
    const given = [
      compressor.compress(Buffer.from('a\n'.repeat(100_000))),
      compressor.compress(Buffer.from('b\n')),
    ];
    compressor.close();

    expect((await Promise.all(given)).map((member) => gunzipSync(member).length)).toEqual([200_000, 2]);
    await expect(compressor.compress(Buffer.from('late'))).rejects.toThrow('the gzip compressor is closed');
  });
});
