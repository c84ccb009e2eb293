import { SubscribeCommand } from '@aws-sdk/client-sns';
import { sourceTableNames } from '@totes/pipeline';
import { useTestPipeline } from '@totes/test-harness';
import { describe, expect, it } from 'vitest';
import { awsChecks, type DeploymentProbe } from '../src/doctor/aws-checks';
import type { DoctorCheck } from '../src/doctor/doctor-check';
import { runTotes } from './run-totes';

const connection = JSON.stringify({
  host: 'db.example.com',
  port: 5432,
  username: 'u',
  password: 'p',
  dbname: 'd',
});

/** A deployment in which everything is as it should be, with `change` applied. */
function probe(change: Partial<DeploymentProbe> = {}): DeploymentProbe {
  return {
    stackStatus: async () => 'UPDATE_COMPLETE',
    secretValue: async () => connection,
    schedules: async () =>
      sourceTableNames.flatMap((table) => [
        { name: `prod-extract-${table}-incremental`, state: 'ENABLED' },
        { name: `prod-extract-${table}-sweep`, state: 'ENABLED' },
      ]),
    subscriptions: async () => [{ protocol: 'email', endpoint: 'ops@example.com', confirmed: true }],
    ...change,
  };
}

const failed = (checks: readonly DoctorCheck[]) => checks.filter((check) => check.status === 'fail');

describe('totes doctor --aws checks', () => {
  it('pass a deployment whose stacks, secrets, schedules and alerts are all in order', async () => {
    const checks = await awsChecks('prod', probe());
    expect(failed(checks)).toEqual([]);
    expect(checks.map((check) => check.check)).toEqual([
      'stack prod-totes-storage',
      'stack prod-totes-extractor',
      'stack prod-totes-transformer',
      'stack prod-totes-loader',
      'stack prod-totes-reconciler',
      'stack prod-totes-monitoring',
      'secret prod/totes/totesys',
      'secret prod/totes/warehouse',
      'schedules prod-totes-extract',
      'alerts prod-totes-alerts',
    ]);
  });

  it('fail a missing stack, naming the deploy command', async () => {
    const checks = await awsChecks(
      'prod',
      probe({ stackStatus: async (name) => (name === 'prod-totes-loader' ? undefined : 'CREATE_COMPLETE') }),
    );
    expect(failed(checks)).toEqual([
      expect.objectContaining({
        check: 'stack prod-totes-loader',
        fix: expect.stringContaining('cdk deploy prod-totes-loader'),
      }),
    ]);
  });

  it('fail a stack left rolled back or failed', async () => {
    const checks = await awsChecks('prod', probe({ stackStatus: async () => 'UPDATE_ROLLBACK_FAILED' }));
    expect(failed(checks)).toHaveLength(6);
  });

  it('fail a secret still holding its placeholder, without printing its value', async () => {
    const placeholder = JSON.stringify({
      host: 'set-me.example.com',
      port: 5432,
      username: 'set-me',
      password: 'gen-9a8b',
    });
    const checks = await awsChecks(
      'prod',
      probe({ secretValue: async (name) => (name === 'prod/totes/totesys' ? placeholder : connection) }),
    );
    expect(failed(checks)).toEqual([
      expect.objectContaining({
        check: 'secret prod/totes/totesys',
        detail: "still holds the placeholder, not the totesys's connection",
        fix: expect.stringContaining('aws secretsmanager put-secret-value --secret-id prod/totes/totesys'),
      }),
    ]);
    expect(JSON.stringify(checks)).not.toContain('gen-9a8b');
  });

  it('fail disabled schedules, naming them', async () => {
    const checks = await awsChecks(
      'prod',
      probe({
        schedules: async () =>
          sourceTableNames.map((table) => ({
            name: `prod-extract-${table}-incremental`,
            state: table === 'payment' ? 'DISABLED' : 'ENABLED',
          })),
      }),
    );
    expect(failed(checks)).toEqual([
      expect.objectContaining({
        detail: 'disabled: prod-extract-payment-incremental',
        fix: expect.stringContaining('ENABLED'),
      }),
    ]);
  });

  it('fail an alerts topic whose only subscriber has not confirmed', async () => {
    const checks = await awsChecks(
      'prod',
      probe({
        subscriptions: async () => [{ protocol: 'email', endpoint: 'ops@example.com', confirmed: false }],
      }),
    );
    expect(failed(checks)).toEqual([
      expect.objectContaining({
        check: 'alerts prod-totes-alerts',
        fix: expect.stringContaining('Subscription Confirmation'),
      }),
    ]);
  });

  it('turn a refused read into a failed check that says what to look at', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform: scheduler:ListSchedules'), {
      name: 'AccessDeniedException',
    });
    const checks = await awsChecks('prod', probe({ schedules: async () => Promise.reject(denied) }));
    expect(failed(checks)).toEqual([
      expect.objectContaining({
        check: 'schedules prod-totes-extract',
        detail: expect.stringContaining('AccessDeniedException'),
        fix: expect.stringContaining('AWS_PROFILE'),
      }),
    ]);
  });
});

describe('totes doctor --aws, against the emulator posing as AWS', () => {
  const pipeline = useTestPipeline();
  const env = () => ({
    AWS_ENDPOINT_URL: pipeline().aws.endpoint,
    AWS_REGION: pipeline().aws.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });

  it('reads the alerts topic’s subscribers: none, then a confirmed one', async () => {
    const environment = pipeline().names.environment;
    const alerts = `alerts ${pipeline().names.alertsTopic}`;
    const before = await runTotes(['doctor', '--aws', environment, '--json'], env());
    expect(before.code).toBe(1);
    const first = JSON.parse(before.stdout);
    expect(first.aws).toEqual({ environment });
    expect(first.checks.find((check: DoctorCheck) => check.check === alerts)).toMatchObject({
      status: 'fail',
      detail: 'no subscriber: nobody gets the alerts',
    });
    // The emulator has no CloudFormation: that read fails, and says so, without stopping the rest.
    expect(
      first.checks.find((check: DoctorCheck) => check.check === `stack ${environment}-totes-storage`),
    ).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^could not be read/),
    });

    const topicArn = pipeline().provisioned.topicArns.get(pipeline().names.alertsTopic);
    await pipeline().clients.sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: `arn:aws:sqs:${pipeline().aws.region}:000000000000:${pipeline().names.deadLetterQueue('load', 'dim_date')}`,
      }),
    );
    const after = await runTotes(['doctor', '--aws', environment, '--json'], env());
    expect(
      JSON.parse(after.stdout).checks.find((check: DoctorCheck) => check.check === alerts),
    ).toMatchObject({
      status: 'ok',
      detail: '1 confirmed subscriber',
    });
  });
});
