import { testAws, useTestPipeline } from '@totes/test-harness';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliError } from '../src/cli-error';
import { connectAws } from '../src/stack/aws-connection';

/** The SDK's default chain, as a shell would set it, with nothing read from this machine's files. */
function useAwsEnvironment(env: Readonly<Record<string, string | undefined>>): void {
  for (const name of [
    'AWS_PROFILE',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_REGION',
    'AWS_DEFAULT_REGION',
    'AWS_ENDPOINT_URL',
    'AWS_ENDPOINT_URL_S3',
  ])
    vi.stubEnv(name, undefined);
  vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/aws-config');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/aws-credentials');
  vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
}

async function failureOf(connecting: Promise<unknown>): Promise<CliError> {
  const error = await connecting.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof CliError)) throw new Error(`expected a CliError, got ${String(error)}`);
  return error;
}

describe('connecting to a deployment in AWS', () => {
  const pipeline = useTestPipeline();
  const aws = testAws();
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('finds every queue of the environment, and the region it is in', async () => {
    const { aws: deployed } = pipeline();
    useAwsEnvironment({
      AWS_REGION: deployed.region,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL: deployed.endpoint,
    });
    const connection = await connectAws(deployed.prefix);
    try {
      expect(connection).toMatchObject({
        environment: deployed.prefix,
        region: deployed.region,
        moveTasks: true,
      });
      const queue = connection.resources.queues[0];
      if (!queue) throw new Error('the topology has no queue');
      expect(connection.queueUrl(queue.deadLetterQueue)).toContain(queue.deadLetterQueue);
      expect(() => connection.queueUrl('not-a-queue')).toThrow('no URL for queue not-a-queue');
    } finally {
      await connection.close();
    }
  });

  it('asks for credentials when there are none', async () => {
    useAwsEnvironment({ AWS_REGION: aws.region, AWS_ENDPOINT_URL: aws.endpoint });
    const error = await failureOf(connectAws('prod'));
    expect(error.message).toBe(
      'no AWS credentials for --aws prod: set AWS_PROFILE (after `aws sso login` if it uses SSO), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
    );
    expect(error.cause).toBeDefined();
  });

  it('asks for a region when there is none', async () => {
    useAwsEnvironment({
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL: aws.endpoint,
    });
    const error = await failureOf(connectAws('prod'));
    expect(error.message).toBe('no AWS region for --aws prod: set AWS_REGION, or a region in the profile');
  });

  it('says what to check when the environment is not deployed in that region', async () => {
    useAwsEnvironment({
      AWS_REGION: aws.region,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL: aws.endpoint,
    });
    const error = await failureOf(connectAws('nowhere'));
    expect(error.message).toMatch(
      new RegExp(
        `^queue nowhere-\\S+ does not exist in ${aws.region}: is the environment "nowhere" deployed there\\?`,
      ),
    );
  });
});
