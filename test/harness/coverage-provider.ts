import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from '@vitest/coverage-v8';
import type { CoverageProvider, CoverageProviderModule, ReportContext } from 'vitest/node';

/**
 * Vitest's V8 coverage, plus the coverage of the Node.js processes the tests start.
 *
 * Most of the CLI and the local stack run in a child process (a test runs `totes` as a user
 * would), where the worker's inspector sees nothing. Each child preloads `child-coverage.mjs`,
 * which writes its V8 coverage and the JavaScript it ran; the provider converts those with the
 * same converter as the rest and merges them into the report, so thresholds count them.
 * See docs/decisions/0014-coverage-of-child-processes.md.
 */

/** The part of Istanbul's coverage map this module uses. */
interface CoverageMap {
  merge(other: CoverageMap | object): void;
  files(): string[];
}

/** One function's block ranges and counts, as V8 reports them. */
interface FunctionCoverage {
  readonly functionName: string;
  readonly isBlockCoverage: boolean;
  readonly ranges: readonly {
    readonly startOffset: number;
    readonly endOffset: number;
    readonly count: number;
  }[];
}

/** A script a child ran: its coverage, and the content hash of its file, which names its JavaScript. */
interface ChildScript {
  readonly url: string;
  readonly sourceHash: string;
  readonly functions: readonly FunctionCoverage[];
}

/** The parts of `@vitest/coverage-v8`'s provider this module uses beyond the public interface. */
interface V8Provider extends CoverageProvider {
  readonly options: { readonly reportsDirectory: string };
  readonly ctx: unknown;
  createUncoveredFileTransformer(ctx: unknown): unknown;
  getSources(url: string, transform: unknown): Promise<{ readonly code: string; readonly map?: unknown }>;
  isIncluded(filename: string): boolean;
  getUntestedFiles(testedFiles: readonly string[]): Promise<string[]>;
  createCoverageMap(): CoverageMap;
  remapCoverage(
    url: string,
    wrapperLength: number,
    sources: { readonly code: string; readonly map?: unknown },
    functions: readonly FunctionCoverage[],
  ): Promise<CoverageMap | object>;
}

type MergeScriptCovs = (
  scripts: readonly { scriptId: string; url: string; functions: readonly FunctionCoverage[] }[],
) => { functions: FunctionCoverage[] } | undefined;

/** Where the children of the test workers write their coverage. */
function childDirectory(reportsDirectory: string): string {
  return resolve(reportsDirectory, '.children');
}

const customProviderModule = fileURLToPath(import.meta.url);
const preload = fileURLToPath(new URL('./child-coverage.mjs', import.meta.url));

/** The source map tsx inlines at the end of the JavaScript it produces, its sources made URLs. */
function inlineSourceMap(code: string, url: string): unknown {
  const match = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(code);
  if (!match?.[1]) return undefined;
  const map = JSON.parse(Buffer.from(match[1], 'base64').toString('utf8')) as { sources?: (string | null)[] };
  const sources = (map.sources ?? []).filter((source): source is string => source != null);
  return { ...map, sources: sources.length > 0 ? sources.map((source) => new URL(source, url).href) : [url] };
}

/** Istanbul's data for one file: the maps of its statements, branches and functions, and their counts. */
interface FileCoverageData {
  readonly path: string;
  readonly statementMap: Readonly<Record<string, Range>>;
  readonly s: Record<string, number>;
  readonly branchMap: Readonly<Record<string, { readonly loc: Range; readonly locations: readonly Range[] }>>;
  readonly b: Record<string, number[]>;
  readonly fnMap: Readonly<Record<string, { readonly decl: Range; readonly loc: Range }>>;
  readonly f: Record<string, number>;
}

interface Range {
  readonly start: { readonly line: number; readonly column: number };
}

const byPosition = (a: Range, b: Range) => a.start.line - b.start.line || a.start.column - b.start.column;

/** The highest count of the ranges that start on each line. */
function countsByLine(ranges: readonly (readonly [Range, number])[]): Map<number, number> {
  const lines = new Map<number, number>();
  for (const [range, count] of ranges)
    lines.set(range.start.line, Math.max(lines.get(range.start.line) ?? 0, count));
  return lines;
}

/**
 * Puts a child's counts onto the file's statements, branches and functions as the V8 provider
 * finds them in Vite's output, so that a file counts the same items whoever ran it. tsx's
 * JavaScript has a few more (its imports, the `__name` calls of esbuild's keepNames) and starts
 * some at another column: a statement takes the count of the child's that starts where it does,
 * else the highest of those on its line; the branches and functions, the same in both, are paired
 * in order.
 */
function project(child: FileCoverageData, canonical: FileCoverageData): FileCoverageData {
  const childStatements = Object.entries(child.statementMap).map(([id, r]) => [r, child.s[id] ?? 0] as const);
  const at = (range: Range) => `${range.start.line}:${range.start.column}`;
  const exact = new Map(childStatements.map(([range, count]) => [at(range), count]));
  const statements = countsByLine(childStatements);
  const s = Object.fromEntries(
    Object.entries(canonical.statementMap).map(([id, range]) => [
      id,
      exact.get(at(range)) ?? statements.get(range.start.line) ?? 0,
    ]),
  );
  const ordered = <T>(map: Readonly<Record<string, T>>, at: (item: T) => Range): [string, T][] =>
    Object.entries(map).sort(([, a], [, b]) => byPosition(at(a), at(b)));
  const childBranches = ordered(child.branchMap, (branch) => branch.loc);
  const canonicalBranches = ordered(canonical.branchMap, (branch) => branch.loc);
  const b = Object.fromEntries(
    canonicalBranches.map(([id, branch], index) => {
      const [childId, childBranch] = childBranches[index] ?? [];
      const counts =
        childId && childBranch?.locations.length === branch.locations.length ? child.b[childId] : undefined;
      return [id, counts ? [...counts] : branch.locations.map(() => 0)];
    }),
  );
  const childFunctions = ordered(child.fnMap, (fn) => fn.decl);
  const canonicalFunctions = ordered(canonical.fnMap, (fn) => fn.decl);
  const functionLines = countsByLine(childFunctions.map(([id, fn]) => [fn.decl, child.f[id] ?? 0]));
  const f = Object.fromEntries(
    canonicalFunctions.map(([id, fn], index) => {
      const [childId] = childFunctions[index] ?? [];
      const paired =
        childFunctions.length === canonicalFunctions.length && childId ? child.f[childId] : undefined;
      return [id, paired ?? functionLines.get(fn.decl.start.line) ?? 0];
    }),
  );
  if (childBranches.length !== canonicalBranches.length) {
    process.stderr.write(
      `coverage: ${child.path} has other branches in a child; its branches count as untaken\n`,
    );
  }
  return { ...canonical, s, b, f };
}

/** Reads every child's coverage and converts it to Istanbul's form, one conversion per script. */
async function childCoverage(provider: V8Provider): Promise<CoverageMap> {
  const map = provider.createCoverageMap();
  const directory = childDirectory(provider.options.reportsDirectory);
  if (!existsSync(directory)) return map;
  // @bcoe/v8-coverage merges V8's block ranges; it is what the V8 provider merges workers with.
  const fromProvider = createRequire(createRequire(import.meta.url).resolve('@vitest/coverage-v8'));
  const { mergeScriptCovs } = fromProvider('@bcoe/v8-coverage') as { mergeScriptCovs: MergeScriptCovs };
  const byScript = new Map<string, ChildScript[]>();
  for (const file of await readdir(directory)) {
    if (!file.endsWith('.json')) continue;
    const { result } = JSON.parse(await readFile(join(directory, file), 'utf8')) as { result: ChildScript[] };
    for (const script of result) {
      if (!provider.isIncluded(fileURLToPath(script.url))) continue;
      const key = `${script.url}\n${script.sourceHash}`;
      byScript.set(key, [...(byScript.get(key) ?? []), script]);
    }
  }
  const transform = provider.createUncoveredFileTransformer(provider.ctx);
  for (const scripts of byScript.values()) {
    const [first] = scripts;
    if (!first) continue;
    const merged = mergeScriptCovs(scripts.map((script) => ({ ...script, scriptId: '0' })));
    const code = await readFile(join(directory, 'sources', `${first.sourceHash}.js`), 'utf8');
    // A file rewritten while the run went on: its old JavaScript no longer maps onto it.
    const current = await readFile(fileURLToPath(first.url)).catch(() => undefined);
    if (!current || createHash('sha1').update(current).digest('hex') !== first.sourceHash) continue;
    const sourceMap = inlineSourceMap(code, first.url);
    const sources = sourceMap ? { code, map: sourceMap } : { code };
    const converted = await provider.remapCoverage(first.url, 0, sources, merged?.functions ?? []);
    const canonical = await provider.remapCoverage(
      first.url,
      0,
      await provider.getSources(first.url, transform),
      [],
    );
    const file = fileURLToPath(first.url);
    const childData = (converted as Record<string, FileCoverageData>)[file];
    const canonicalData = (canonical as Record<string, FileCoverageData>)[file];
    if (childData && canonicalData) map.merge({ [file]: project(childData, canonicalData) });
  }
  return map;
}

/** Wraps the V8 provider so that it reads, merges and cleans up the children's coverage. */
function withChildProcesses(provider: V8Provider): CoverageProvider {
  const { clean, generateCoverage, getUntestedFiles, resolveOptions } = provider;
  let childFiles: readonly string[] = [];
  return Object.assign(provider, {
    // The V8 provider names itself in the options the workers get, and they would load it
    // instead of this module, which is what makes their children preload the recorder.
    resolveOptions(this: V8Provider) {
      return { ...resolveOptions.call(this), provider: 'custom' as const, customProviderModule };
    },
    async clean(this: V8Provider, force?: boolean) {
      await clean.call(this, force);
      const directory = childDirectory(this.options.reportsDirectory);
      await rm(directory, { recursive: true, force: true });
      await mkdir(directory, { recursive: true });
    },
    // A file only a child ran is tested: without this it would also be added once, untested.
    async getUntestedFiles(this: V8Provider, testedFiles: readonly string[]) {
      return getUntestedFiles.call(this, [...testedFiles, ...childFiles]);
    },
    async generateCoverage(this: V8Provider, context: ReportContext) {
      const children = await childCoverage(this);
      childFiles = children.files();
      const map = (await generateCoverage.call(this, context)) as CoverageMap;
      map.merge(children);
      return map;
    },
  });
}

const provider: CoverageProviderModule = {
  startCoverage(options) {
    // Set in the worker, after it started: only the processes its tests start inherit them.
    process.env.TOTES_CHILD_COVERAGE_DIR = childDirectory(options.reportsDirectory);
    const nodeOptions = process.env.NODE_OPTIONS ?? '';
    if (!nodeOptions.includes(preload))
      process.env.NODE_OPTIONS = `${nodeOptions} --import=${preload}`.trim();
    return v8.startCoverage?.(options);
  },
  takeCoverage: (options) => v8.takeCoverage?.(options),
  stopCoverage: (options) => v8.stopCoverage?.(options),
  async getProvider() {
    return withChildProcesses((await v8.getProvider()) as V8Provider);
  },
};

export default provider;
