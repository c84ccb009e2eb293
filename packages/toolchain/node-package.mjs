// Which npm package brings Node.js to this machine. Plain JavaScript, like run.mjs, which
// imports it before anything else is installed.

/**
 * The npm package (`node-<platform>-<arch>`, a Node.js binary inside a registry package) and the
 * version of it that `pins.nodePackages` names for `platform`/`arch`, or, where none is pinned
 * (the registry has none of the wanted major for it), `problem`: what to install instead.
 */
export function nodePackageFor(platform, arch, pins, libc = 'glibc') {
  const key = `${platform}-${arch}`;
  const version = pins.nodePackages?.[key];
  const major = String(pins.node).split('.')[0];
  const instead = `install Node.js ${major} yourself (https://nodejs.org/en/download, or your package manager: \`brew install node@${major}\` on macOS), so that \`node --version\` prints v${major}, and run the command again`;
  if (platform === 'linux' && libc !== 'glibc') {
    return {
      problem: `the npm registry's Node.js packages need glibc, and this Linux uses ${libc}: ${instead}`,
    };
  }
  if (!version) {
    return { problem: `the npm registry has no Node.js ${major} package for ${key}: ${instead}` };
  }
  return { spec: `node-${key}@${version}`, version };
}

/** `glibc` where this Node.js reports a glibc runtime, `musl` on Linux without one. */
export function currentLibc() {
  if (process.platform !== 'linux') return 'glibc';
  const header = process.report?.getReport?.().header;
  return header?.glibcVersionRuntime ? 'glibc' : 'musl';
}
