// Records the coverage of a Node.js process that a test started (the `totes` command, mostly),
// so that `vitest run --coverage` counts what the CLI and the local stack do in their own process.
// The coverage provider (coverage-provider.ts) preloads this file through NODE_OPTIONS in its
// test workers, so every Node.js child of a test inherits it; vitest itself never loads it.
//
// Why not NODE_V8_COVERAGE: the CLI runs its TypeScript through tsx, and V8's offsets refer to
// the JavaScript tsx produced, which the parent cannot reproduce. So the child writes that
// JavaScript too (with tsx's inline source map), read from V8 itself when the process exits.
// Plain JavaScript on purpose: it runs before any TypeScript loader is registered.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

const directory = process.env.TOTES_CHILD_COVERAGE_DIR;
const root = pathToFileURL(fileURLToPath(new URL('../../', import.meta.url))).href;

/** Only the repository's own sources: not node_modules, not this harness. */
function isProjectSource(url) {
  return (
    url.startsWith(root) && !url.includes('/node_modules/') && /\/(packages|services)\/[^/]+\/src\//.test(url)
  );
}

if (directory && isMainThread) {
  const session = new Session();
  session.connect();
  // A session on the main thread answers synchronously: the callbacks below run before `post`
  // returns, which is what lets the exit handler (where nothing asynchronous runs) use it.
  session.post('Profiler.enable');
  session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
  process.on('exit', () => {
    let scripts = [];
    session.post('Profiler.takePreciseCoverage', (error, coverage) => {
      if (!error) scripts = coverage.result.filter((script) => isProjectSource(script.url));
    });
    if (scripts.length === 0) return;
    const sources = join(directory, 'sources');
    mkdirSync(sources, { recursive: true });
    const result = [];
    let debugging = false;
    for (const script of scripts) {
      // tsx turns the same file into the same JavaScript throughout a run: it is stored once,
      // named after the file's content, and only the first child to run a file asks V8 for it
      // (listing every script for the debugger costs more than the rest of this handler).
      let sourceHash;
      try {
        sourceHash = createHash('sha1')
          .update(readFileSync(fileURLToPath(script.url)))
          .digest('hex');
      } catch {
        continue;
      }
      const sourceFile = join(sources, `${sourceHash}.js`);
      if (!existsSync(sourceFile)) {
        if (!debugging) session.post('Debugger.enable');
        debugging = true;
        let source;
        session.post('Debugger.getScriptSource', { scriptId: script.scriptId }, (error, answer) => {
          if (!error) source = answer.scriptSource;
        });
        if (source === undefined) continue;
        writeFileSync(sourceFile, source);
      }
      result.push({ url: script.url, sourceHash, functions: script.functions });
    }
    writeFileSync(join(directory, `${process.pid}-${randomUUID()}.json`), JSON.stringify({ result }));
  });
}
