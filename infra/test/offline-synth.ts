import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inject } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

/** What `cdk synth` printed, and where it wrote the cloud assembly. */
export interface OfflineSynth {
  /** The `cdk.out` directory: templates, manifest and the bundled assets. */
  readonly assembly: string;
  /** Its messages (stderr, or stdout when CI is set). */
  readonly output: string;
}

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A plain `cdk synth` of the repository (no context: the example environment, which cannot be
 * deployed), run once per test run by the CLI, offline, with the real bundling. The first test
 * file to ask runs it; the others, in other workers, wait for its result in the run's directory,
 * so the bundles tested are the same ones and esbuild runs once.
 */
export async function offlineSynth(timeoutMs = 240_000): Promise<OfflineSynth> {
  const out = join(inject('runDir'), 'cdk-synth');
  const assembly = join(out, 'cdk.out');
  const result = join(out, 'result.json');
  let owner = true;
  try {
    await mkdir(out);
  } catch {
    owner = false;
  }
  if (owner) {
    // Written whole, then renamed: a waiting reader never sees half of it.
    const written = (value: object) =>
      writeFile(`${result}.part`, JSON.stringify(value)).then(() => rename(`${result}.part`, result));
    try {
      const synth = await run(
        process.execPath,
        [join(root, 'node_modules/aws-cdk/bin/cdk'), 'synth', '--no-notices', '--quiet', '-o', assembly],
        { cwd: root, env: offlineEnvironment(out), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      );
      await written({ output: `${synth.stderr}${synth.stdout}` });
    } catch (error) {
      await written({ error: String(error) });
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(result)) {
    if (Date.now() > deadline) throw new Error(`cdk synth did not finish within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
  const { output, error } = JSON.parse(await readFile(result, 'utf8')) as { output?: string; error?: string };
  if (error !== undefined) throw new Error(`cdk synth failed: ${error}`);
  return { assembly, output: output ?? '' };
}
