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

/** A script a child ran: its coverage and the content hash of the JavaScript it ran. */
interface ChildScript {
  readonly url: string;
  readonly sourceHash: string;
  readonly functions: readonly FunctionCoverage[];
}

/** The parts of `@vitest/coverage-v8`'s provider this module uses beyond the public interface. */
interface V8Provider extends CoverageProvider {
  readonly options: { readonly reportsDirectory: string };
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
  for (const scripts of byScript.values()) {
    const [first] = scripts;
    if (!first) continue;
    const merged = mergeScriptCovs(scripts.map((script) => ({ ...script, scriptId: '0' })));
    const code = await readFile(join(directory, 'sources', `${first.sourceHash}.js`), 'utf8');
    // A file rewritten while the run went on: its old JavaScript no longer maps onto it.
    if (createHash('sha1').update(code).digest('hex') !== first.sourceHash) continue;
    const sourceMap = inlineSourceMap(code, first.url);
    const sources = sourceMap ? { code, map: sourceMap } : { code };
    map.merge(await provider.remapCoverage(first.url, 0, sources, merged?.functions ?? []));
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
