import { describe, expect, it } from 'vitest';
import { versionGuard } from '../src/plan/version-guard';

const v = (day: string, hash = 'aaaaaaaaaaaaaaaa') => `202411${day}T091502345-${hash}`;

describe('the version guard of a dimension rebuilt from snapshots', () => {
  it('lets the first object of a dimension in', () => {
    expect(versionGuard(undefined, { versions: { staff: v('04') }, generation: 1 })).toEqual({ apply: true });
  });

  it('lets an object built from newer snapshots in', () => {
    const loaded = { versions: { staff: v('04'), department: v('04') }, generation: 1 };

    expect(
      versionGuard(loaded, { versions: { staff: v('05'), department: v('04') }, generation: 1 }),
    ).toEqual({
      apply: true,
    });
  });

  it('refuses an object built from an older snapshot of one input, naming it', () => {
    const loaded = { versions: { staff: v('05'), department: v('05') }, generation: 1 };

    const decision = versionGuard(loaded, {
      versions: { staff: v('05'), department: v('04') },
      generation: 1,
    });

    expect(decision).toEqual({
      apply: false,
      reason: `its department snapshot ${v('04')} is older than the loaded ${v('05')}`,
    });
  });

  it('refuses an object with one input newer and the other older than what is loaded', () => {
    const loaded = { versions: { staff: v('05'), department: v('05') }, generation: 1 };

    expect(
      versionGuard(loaded, { versions: { staff: v('06'), department: v('04') }, generation: 1 }).apply,
    ).toBe(false);
  });

  it('compares snapshots by the time they were taken, not by their content hash', () => {
    const loaded = { versions: { address: v('05', 'ffffffffffffffff') }, generation: 1 };

    expect(
      versionGuard(loaded, { versions: { address: v('06', '0000000000000000') }, generation: 1 }).apply,
    ).toBe(true);
  });

  it('lets a higher generation of the same snapshots in (a reprocess), and refuses a lower one', () => {
    const loaded = { versions: { design: v('05') }, generation: 2 };

    expect(versionGuard(loaded, { versions: { design: v('05') }, generation: 3 }).apply).toBe(true);
    expect(versionGuard(loaded, { versions: { design: v('05') }, generation: 2 }).apply).toBe(true);
    expect(versionGuard(loaded, { versions: { design: v('05') }, generation: 1 })).toEqual({
      apply: false,
      reason: 'it is generation 1 of the same snapshots, generation 2 is loaded',
    });
  });

  it('lets newer snapshots in whatever their generation', () => {
    const loaded = { versions: { design: v('05') }, generation: 2 };

    expect(versionGuard(loaded, { versions: { design: v('06') }, generation: 1 }).apply).toBe(true);
  });
});
