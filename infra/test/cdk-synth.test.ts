import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Resource, rendered } from './synthesized-pipeline';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
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

/**
 * The environment of an offline `cdk` run: no AWS credentials, profile or instance metadata to
 * look for (so no account lookup and no network), no version check, notices or telemetry, and
 * the CLI's cache in the output directory. The Node.js running the tests runs the app too.
 */
function offlineEnvironment(out: string): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_') && !key.startsWith('CDK_')),
  );
  return {
    ...inherited,
    PATH: [dirname(process.execPath), process.env.PATH].join(delimiter),
    AWS_REGION: 'eu-west-2',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(out, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(out, 'no-aws-credentials'),
    CDK_HOME: join(out, 'cdk-home'),
    CDK_DISABLE_VERSION_CHECK: '1',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  };
}

describe('cdk synth (the CLI, offline)', () => {
  let out: string;
  let synth: { stdout: string; stderr: string };
  let templates: Record<string, { Resources: Record<string, Resource> }>;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'totes-cdk-synth-'));
    synth = await run(
      process.execPath,
      [
        join(root, 'node_modules/aws-cdk/bin/cdk'),
        'synth',
        '--no-notices',
        '--quiet',
        '-o',
        join(out, 'cdk.out'),
      ],
      { cwd: root, env: offlineEnvironment(out), timeout: 240_000, maxBuffer: 16 * 1024 * 1024 },
    );
    templates = Object.fromEntries(
      stackNames.map((name) => [
        name,
        JSON.parse(readFileSync(join(out, 'cdk.out', `${name}.template.json`), 'utf8')),
      ]),
    );
  }, 240_000);
  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it("writes a cloud assembly of the seven stacks, from the repository's cdk.json, account-agnostic and undeployable", () => {
    // The CLI writes its messages to stderr, or to stdout when CI is set.
    expect(`${synth.stderr}${synth.stdout}`).toContain('Successfully synthesized');
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
          String(resource.Properties.FunctionName).startsWith(`example-${stage}-`),
      );
      expect(functions).toHaveLength(11);
      const keys = new Set(
        functions.map((resource) => (resource.Properties.Code as { S3Key: string }).S3Key),
      );
      expect(keys.size).toBe(1);
      const [key] = keys;
      const [first] = functions;
      if (!key || !first) throw new Error(`no ${service} function`);
      const asset = join(out, 'cdk.out', `asset.${key.replace(/\.zip$/, '')}`);
      const [handlerFile, handlerExport] = String(first.Properties.Handler).split(/\.(?=[^.]+$)/);
      const entry = join(asset, `${handlerFile}.mjs`);
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

      // The bundle is imported as Lambda would, with the function's environment (references to
      // other resources stand as placeholders) and its Node options, from a directory with no
      // node_modules: it needs nothing beside it.
      const { Variables } = first.Properties.Environment as { Variables: Record<string, unknown> };
      const environment = Object.fromEntries(
        Object.entries(Variables).map(([name, value]) => [name, rendered(value)]),
      );
      const { NODE_OPTIONS, ...variables } = environment;
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
          env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-2', ...variables },
          timeout: 60_000,
        },
      );
      expect(loaded.stdout.trim()).toBe('function');
    },
  );
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
      const key = (fn.Properties.Code as { S3Key: string }).S3Key;
      const asset = join(out, 'cdk.out', `asset.${key.replace(/\.zip$/, '')}`);
      const [handlerFile, handlerExport] = String(fn.Properties.Handler).split(/\.(?=[^.]+$)/);
      const entry = join(asset, `${handlerFile}.mjs`);
      if (name === 'example-analytics-refresh') {
        expect(existsSync(join(dirname(entry), '..', 'sql', 'analytics.sql'))).toBe(true);
      }
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
          env: {
            PATH: process.env.PATH,
            AWS_REGION: 'eu-west-2',
            ...variables,
            ...(name.includes('sign-in') || name.includes('authorizer') ? signInValues : {}),
          },
          timeout: 60_000,
        },
      );
      expect(loaded.stdout.trim(), name).toBe('function');
    }
  });
});
