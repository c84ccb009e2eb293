import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { type OfflineSynth, offlineSynth } from './offline-synth';
import { type Resource, rendered } from './synthesized-pipeline';

const run = promisify(execFile);
// A plain `cdk synth`, with no context: the example environment, which cannot be deployed.
const stackNames = [
  'storage',
  'loader',
  'transformer',
  'extractor',
  'reconciler',
  'monitoring',
  'dashboard',
].map((part) => `example-totes-${part}`);
const services = { extractor: 'extract', transformer: 'transform', loader: 'load' } as const;

describe('cdk synth (the CLI, offline)', () => {
  let out: string;
  let synth: OfflineSynth;
  let templates: Record<string, { Resources: Record<string, Resource> }>;

  beforeAll(async () => {
    synth = await offlineSynth();
    out = dirname(synth.assembly);
    templates = Object.fromEntries(
      stackNames.map((name) => [
        name,
        JSON.parse(readFileSync(join(out, 'cdk.out', `${name}.template.json`), 'utf8')),
      ]),
    );
  }, 240_000);

  /** A function's bundle in cdk.out: its entry module, and the name of its handler's export. */
  const bundleEntry = (fn: Resource) => {
    const key = (fn.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
    const [handlerFile, handlerExport] = String(fn.Properties.Handler).split(/\.(?=[^.]+$)/);
    return { entry: join(out, 'cdk.out', `asset.${key}`, `${handlerFile}.mjs`), handlerExport };
  };

  /**
   * Imports a function's bundle as Lambda would and says what its handler export is.
   *
   * With the function's environment from its template (references to other resources stand as
   * placeholders, `extra` replaces some) and its Node options, from a directory with no
   * node_modules: the bundle needs nothing beside it.
   */
  const handlerTypeOf = async (fn: Resource, extra: Readonly<Record<string, string>> = {}) => {
    const { entry, handlerExport } = bundleEntry(fn);
    const { Variables } = fn.Properties.Environment as { Variables: Record<string, unknown> };
    const { NODE_OPTIONS, ...variables } = Object.fromEntries(
      Object.entries(Variables).map(([variable, value]) => [variable, rendered(value)]),
    );
    const loaded = await run(
      process.execPath,
      [
        ...(NODE_OPTIONS ?? '').split(' ').filter(Boolean),
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(pathToFileURL(entry).href)}); console.log(typeof m.${handlerExport});`,
      ],
      {
        cwd: out,
        env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-2', ...variables, ...extra },
        timeout: 60_000,
      },
    );
    return loaded.stdout.trim();
  };

  it("writes a cloud assembly of the seven stacks, from the repository's cdk.json, account-agnostic and undeployable", () => {
    // The CLI writes its messages to stderr, or to stdout when CI is set.
    expect(synth.output).toContain('Successfully synthesized');
    const manifest = JSON.parse(readFileSync(join(out, 'cdk.out', 'manifest.json'), 'utf8')) as {
      artifacts: Record<string, { type: string; environment?: string }>;
    };
    const stacks = Object.entries(manifest.artifacts).filter(
      ([, artifact]) => artifact.type === 'aws:cloudformation:stack',
    );
    expect(stacks.map(([id]) => id).sort()).toEqual([...stackNames].sort());
    // Not even the shell's region is taken: a deployment names its account and region.
    for (const [, artifact] of stacks)
      expect(artifact.environment).toBe('aws://unknown-account/unknown-region');
    for (const name of stackNames) {
      const template = JSON.parse(readFileSync(join(out, 'cdk.out', `${name}.template.json`), 'utf8')) as {
        Rules?: Record<string, { Assertions: { AssertDescription: string }[] }>;
      };
      expect(template.Rules?.RequireExplicitDeployment?.Assertions[0]?.AssertDescription).toContain(
        '-c environment=<name> -c account=<12 digits> -c region=<region>',
      );
    }
    // The bucket names carry the account and region as references, resolved where deployed.
    const storage = JSON.stringify(templates['example-totes-storage']);
    expect(storage).toContain('"example-totes-ingest-",{"Ref":"AWS::AccountId"},"-",{"Ref":"AWS::Region"}');
  });

  it.each(Object.entries(services))(
    'bundles the %s once, for all its functions, and the bundle loads',
    async (service, stage) => {
      const template = templates[`example-totes-${service}`];
      const functions = Object.values(template?.Resources ?? {}).filter(
        (resource) =>
          resource.Type === 'AWS::Lambda::Function' &&
          String(resource.Properties.FunctionName).startsWith(`example-${stage}`),
      );
      // One extractor for every table; a transformer and a loader a warehouse table.
      expect(functions).toHaveLength(service === 'extractor' ? 1 : 11);
      const keys = new Set(
        functions.map((resource) => (resource.Properties.Code as { S3Key: string }).S3Key),
      );
      expect(keys.size).toBe(1);
      const [first] = functions;
      if (!first) throw new Error(`no ${service} function`);
      const { entry } = bundleEntry(first);
      if (service === 'loader') {
        // The loader reads its DDL from ../sql next to its module.
        for (const file of ['etl.sql', 'warehouse.sql']) {
          expect(existsSync(join(dirname(entry), '..', 'sql', file))).toBe(true);
        }
      }

      // Nothing is left to the runtime: the SDK clients are bundled at the lockfile's versions.
      const bundle = readFileSync(entry, 'utf8');
      expect([...bundle.matchAll(/from\s*"(@aws-sdk\/[a-z0-9-]+)"/g)]).toEqual([]);
      expect(bundle).toMatch(/@aws-sdk\/client-s3|S3Client/);

      // The bundle is imported as Lambda would: it needs nothing beside it.
      expect(await handlerTypeOf(first)).toBe('function');
    },
  );

  it('leaves pg and Secrets Manager out of the transformer, which opens no database', () => {
    const bundleOf = (service: keyof typeof services) => {
      const template = templates[`example-totes-${service}`];
      const fn = Object.values(template?.Resources ?? {}).find(
        (resource) =>
          resource.Type === 'AWS::Lambda::Function' &&
          String(resource.Properties.FunctionName).startsWith(`example-${services[service]}`),
      );
      if (!fn) throw new Error(`no ${service} function`);
      return bundleEntry(fn).entry;
    };
    // esbuild names each bundled module's path in a comment: `// node_modules/.pnpm/pg@…`.
    const pgModules = /node_modules\/(\.pnpm\/)?pg(-protocol|-pool|-types|-connection-string)?[@/]/;
    const secretsManager = /@aws-sdk\/client-secrets-manager|GetSecretValueCommand/;
    const transformer = readFileSync(bundleOf('transformer'), 'utf8');
    expect(transformer).not.toMatch(pgModules);
    expect(transformer).not.toMatch(secretsManager);
    // The stages that do open a database still carry both, so the patterns find what they seek.
    for (const service of ['extractor', 'loader'] as const) {
      const bundle = readFileSync(bundleOf(service), 'utf8');
      expect(bundle).toMatch(pgModules);
      expect(bundle).toMatch(secretsManager);
    }
    // 2,501,899 bytes with pg and Secrets Manager in it; 2,314,008 without, when they were removed.
    expect(statSync(bundleOf('transformer')).size).toBeLessThan(2_400_000);
  });

  it("bundles the dashboard's functions, each loads, and the analytics refresh has its DDL beside it", async () => {
    const template = templates['example-totes-dashboard'];
    const functions = Object.values(template?.Resources ?? {}).filter(
      (resource) => resource.Type === 'AWS::Lambda::Function',
    );
    const byName = new Map(functions.map((fn) => [String(fn.Properties.FunctionName), fn]));
    expect([...byName.keys()].sort()).toEqual(
      [
        'example-analytics-refresh',
        'example-dashboard',
        'example-dashboard-authorizer',
        'example-dashboard-sign-in',
      ].sort(),
    );
    // The sign-in's configuration checks the form of ids and URLs, which stand as placeholders in
    // the template: it gets values of the deployed form instead.
    const signInValues = {
      USER_POOL_ID: 'eu-west-2_AbCdEf123',
      SIGN_IN_CLIENT_ID: 'client',
      SIGN_IN_URL: 'https://example-totes-123456789012.auth.eu-west-2.amazoncognito.com',
      DASHBOARD_URL: 'https://abcdef1234.execute-api.eu-west-2.amazonaws.com',
    };
    for (const [name, fn] of byName) {
      if (name === 'example-analytics-refresh') {
        const { entry } = bundleEntry(fn);
        expect(existsSync(join(dirname(entry), '..', 'sql', 'analytics.sql'))).toBe(true);
      }
      const extra = name.includes('sign-in') || name.includes('authorizer') ? signInValues : {};
      expect(await handlerTypeOf(fn, extra), name).toBe('function');
    }
  });
});
