import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The dependency rules of the repository (CONTRIBUTING.md, docs/decisions/0009): libraries
// (schema ← pipeline ← runtime) depend only downwards; services depend on libraries only, never
// on each other or on an application; outside a service, a service is imported only by its
// package name (or an entry its package.json declares), never by a path into `services/`.

const root = fileURLToPath(new URL('../../', import.meta.url));
const libraries = ['schema', 'pipeline', 'runtime'] as const;
const applications = ['cli', 'local', 'totesys-sim', 'toolchain'] as const;

/** Where a file sits: a package's or service's source, test or benchmark, or elsewhere. */
interface Place {
  readonly kind: 'library' | 'application' | 'service' | 'other';
  readonly name: string;
  readonly part: string;
}

function placeOf(path: string): Place {
  const match = /^(packages|services)\/([^/]+)\/([^/]+)/.exec(path);
  if (!match) return { kind: 'other', name: path.split('/')[0] ?? '', part: '' };
  const [, area, name = '', part = ''] = match;
  if (area === 'services') return { kind: 'service', name, part };
  if ((libraries as readonly string[]).includes(name)) return { kind: 'library', name, part };
  if ((applications as readonly string[]).includes(name)) return { kind: 'application', name, part };
  return { kind: 'other', name, part };
}

/** The module specifiers a file imports, statically or dynamically. */
function importsOf(source: string): readonly string[] {
  const specifiers: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm;
  for (const match of source.matchAll(pattern)) specifiers.push(match[2] as string);
  return specifiers;
}

/** The `@totes/<name>` package a specifier names, with the subpath after it. */
function totesPackage(specifier: string): { readonly name: string; readonly subpath: string } | undefined {
  const match = /^@totes\/([^/]+)(\/.*)?$/.exec(specifier);
  return match ? { name: match[1] as string, subpath: match[2] ?? '' } : undefined;
}

function declaredSubpaths(service: string): readonly string[] {
  const manifest = JSON.parse(readFileSync(`${root}services/${service}/package.json`, 'utf8'));
  return Object.keys(manifest.exports ?? {}).map((key) => key.slice(1));
}

const services = new Set(
  execFileSync('git', ['ls-files', 'services/*/package.json'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((path) => path.split('/')[1] as string),
);

/** Every broken rule, as `file: what it imports (why not)`. */
function dependencyViolations(files: readonly string[], read: (path: string) => string): string[] {
  const violations: string[] = [];
  for (const file of files) {
    const from = placeOf(file);
    for (const specifier of importsOf(read(file))) {
      const totes = totesPackage(specifier);
      const target = specifier.startsWith('.')
        ? placeOf(relative(root, resolve(root, dirname(file), specifier)))
        : totes
          ? placeOf(`${services.has(totes.name) ? 'services' : 'packages'}/${totes.name}/src`)
          : undefined;
      if (!target || target.kind === 'other') continue;
      const same = target.kind === from.kind && target.name === from.name;
      const broken = (why: string) => violations.push(`${file}: ${specifier} (${why})`);
      if (from.kind === 'library' && from.part === 'src' && !same) {
        if (target.kind !== 'library') broken(`a library depends on libraries only`);
        else if (libraries.indexOf(target.name as never) > libraries.indexOf(from.name as never))
          broken(`libraries depend downwards only: ${libraries.join(' ← ')}`);
      }
      if (from.kind === 'service' && !same) {
        if (target.kind === 'service' && from.part !== 'test' && from.part !== 'bench')
          broken('services never import each other');
        if (target.kind === 'application' && from.part === 'src')
          broken('services never import applications');
      }
      if (target.kind === 'service' && !same) {
        if (specifier.startsWith('.')) broken('import a service by its package name, not by a path into it');
        else if (totes && totes.subpath !== '' && !declaredSubpaths(target.name).includes(totes.subpath))
          broken(`import a service by its package name, not by a subpath it does not declare`);
      }
    }
  }
  return violations;
}

describe('the dependency direction', () => {
  const files = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.mts'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  )
    .split('\n')
    .filter((path) => path !== '' && !path.includes('node_modules/'));

  it('holds across the repository', () => {
    expect(dependencyViolations(files, (path) => readFileSync(`${root}${path}`, 'utf8'))).toEqual([]);
  });

  it('catches a service that imports another service or an application, and a path into a service', () => {
    const sources: Record<string, string> = {
      'services/loader/src/bad.ts':
        "import { x } from '@totes/extractor';\nimport { y } from '@totes/local';",
      'packages/cli/src/bad.ts': "import { z } from '../../../services/loader/src/load-object';",
      'packages/pipeline/src/bad.ts': "import { w } from '@totes/runtime';",
      'packages/cli/src/also-bad.ts': `const m = await ${'import'}('@totes/loader/src/load-object');`,
    };
    expect(dependencyViolations(Object.keys(sources), (path) => sources[path] ?? '')).toEqual([
      'services/loader/src/bad.ts: @totes/extractor (services never import each other)',
      'services/loader/src/bad.ts: @totes/local (services never import applications)',
      'packages/cli/src/bad.ts: ../../../services/loader/src/load-object (import a service by its package name, not by a path into it)',
      'packages/pipeline/src/bad.ts: @totes/runtime (libraries depend downwards only: schema ← pipeline ← runtime)',
      'packages/cli/src/also-bad.ts: @totes/loader/src/load-object (import a service by its package name, not by a subpath it does not declare)',
    ]);
  });

  it('lets a service use its own files and the libraries, and others use its declared entries', () => {
    const sources: Record<string, string> = {
      'services/loader/src/good.ts':
        "import { a } from './plan/load-plan';\nimport { b } from '@totes/runtime';",
      'packages/cli/src/good.ts':
        "import { c } from '@totes/loader';\nimport { d } from '@totes/transformer/mappings';",
    };
    expect(dependencyViolations(Object.keys(sources), (path) => sources[path] ?? '')).toEqual([]);
  });
});
