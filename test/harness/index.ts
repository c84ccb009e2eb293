import { randomBytes } from 'node:crypto';
import { type AwsClients, awsClients, type ProvisionedPipeline, provisionPipeline } from '@totes/local';
import {
  type PipelineResources,
  pipelineResources,
  type ResourceNames,
  resourceNames,
} from '@totes/pipeline';
import pg from 'pg';
import { afterAll, beforeAll, inject, onTestFinished, vi } from 'vitest';

/** A database of the run's cluster that belongs to one test file. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
}

function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

async function asAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('postgresAdminUrl') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database with a unique name on the run's cluster. */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  await asAdmin((client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  const url = new URL(inject('postgresAdminUrl'));
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** Drops a database made by {@link createTestDatabase}, closing its sessions first. */
export async function dropTestDatabase(database: TestDatabase): Promise<void> {
  await asAdmin((client) =>
    client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database.name)} WITH (FORCE)`),
  );
}

/**
 * Gives the calling test file its own empty database, created before its tests and dropped after.
 * Read `.url` inside tests or hooks, not at module load.
 */
export function useTestDatabase(prefix = 'test'): { readonly url: string; readonly name: string } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(prefix);
  });
  afterAll(async () => {
    if (database) await dropTestDatabase(database);
  });
  return {
    get url() {
      if (!database) throw new Error('useTestDatabase: the database exists only inside tests and hooks');
      return database.url;
    },
    get name() {
      if (!database) throw new Error('useTestDatabase: the database exists only inside tests and hooks');
      return database.name;
    },
  };
}

/** The account the AWS emulator (fauxqs) writes in its queue URLs. */
export const emulatorAccount = '000000000000';

/** The run's AWS emulator, and a prefix that keeps this test file's resource names apart. */
export interface TestAws {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Unique per call: use it as the stage/prefix of every name the test creates. */
  readonly prefix: string;
}

/** Connection details for the run's AWS emulator plus a unique resource-name prefix. */
export function testAws(): TestAws {
  return {
    endpoint: inject('awsEndpoint'),
    region: inject('awsRegion'),
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    prefix: `t${randomBytes(4).toString('hex')}`,
  };
}

/** A deployment of the pipeline's AWS resources on the run's emulator, private to one test file. */
export interface TestPipeline {
  readonly aws: TestAws;
  readonly names: ResourceNames;
  readonly resources: PipelineResources;
  readonly clients: AwsClients;
  readonly provisioned: ProvisionedPipeline;
  /** The URL of a queue (or DLQ) by name. */
  queueUrl(name: string): string;
}

/**
 * Provisions every bucket, topic, queue, DLQ and filtered subscription of the topology under a
 * fresh environment name before the file's tests, with short visibility timeouts so retries
 * happen within a test.
 */
export function useTestPipeline(
  options: { readonly visibilityTimeoutSeconds?: number } = {},
): () => TestPipeline {
  let pipeline: TestPipeline | undefined;
  beforeAll(async () => {
    const aws = testAws();
    // Named as a deployment in AWS is, its buckets with the account (the one the emulator writes
    // in its queue URLs) and the region, so `totes … --aws` finds them as it would there.
    const names = resourceNames(aws.prefix, { account: emulatorAccount, region: aws.region });
    const resources = pipelineResources(names);
    const clients = awsClients(aws);
    const provisioned = await provisionPipeline(clients, resources, {
      visibilityTimeoutSeconds: () => options.visibilityTimeoutSeconds ?? 2,
    });
    pipeline = {
      aws,
      names,
      resources,
      clients,
      provisioned,
      queueUrl(name) {
        const url = provisioned.queueUrls.get(name);
        if (!url) throw new Error(`no queue named ${name} was provisioned`);
        return url;
      },
    };
  });
  afterAll(() => pipeline?.clients.destroy());
  return () => {
    if (!pipeline) throw new Error('useTestPipeline: the pipeline exists only inside tests and hooks');
    return pipeline;
  };
}

/**
 * The SDK's standard variables pointing at the run's AWS emulator, set for the calling test.
 *
 * A function's real parts take their endpoint, region and credentials from these
 * (`AWS_ENDPOINT_URL`, …), as in Lambda; vitest restores the environment after the test.
 */
export function stubAwsEnvironment(aws: Pick<TestAws, 'endpoint' | 'region' | 'credentials'>): void {
  vi.stubEnv('AWS_ENDPOINT_URL', aws.endpoint);
  vi.stubEnv('AWS_REGION', aws.region);
  vi.stubEnv('AWS_ACCESS_KEY_ID', aws.credentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', aws.credentials.secretAccessKey);
  onTestFinished(() => void vi.unstubAllEnvs());
}

/**
 * Everything the process writes to its standard output and error while the calling test runs.
 *
 * The functions' JSON logger writes there (warnings and errors to standard error), one record a
 * line; `lines` parses them. The streams are restored after the test.
 */
export function captureOutput(): {
  readonly text: () => string;
  readonly lines: () => Record<string, unknown>[];
} {
  const chunks: string[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    const spy = vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
    onTestFinished(() => spy.mockRestore());
  }
  const text = () => chunks.join('');
  return {
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/**
 * The embedded-metric-format documents (CloudWatch metrics) written to standard output while `act` runs.
 *
 * Standard output is restored when it ends, whether it succeeded or not.
 */
export async function emittedMetrics(act: () => unknown): Promise<Record<string, unknown>[]> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  try {
    await act();
  } finally {
    spy.mockRestore();
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.includes('CloudWatchMetrics'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Imports a function's Lambda entry afresh with `variables` set, as a cold start would.
 *
 * The entry reads its environment when it is imported, so a wrong one rejects here. The
 * variables (`undefined` unsets one) are restored after the calling test.
 */
export async function coldStart<M>(
  entry: () => Promise<M>,
  variables: Readonly<Record<string, string | undefined>>,
): Promise<M> {
  for (const [name, value] of Object.entries(variables)) vi.stubEnv(name, value);
  onTestFinished(() => void vi.unstubAllEnvs());
  vi.resetModules();
  return await entry();
}
