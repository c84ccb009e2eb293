import { App, Aws, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DeploymentSettingsError, deploymentSettings } from '../src/index';
import { databaseVpcContext } from './synthesized-pipeline';

const settingsOf = (context: Record<string, unknown>) => deploymentSettings(new App({ context }).node);

/** A name as CloudFormation resolves it in a stack, its account and region tokens as references. */
const resolved = (name: string) => new Stack(new App(), 'Names').resolve(name);

/** The message of the {@link DeploymentSettingsError} a context is refused with. */
function problemsOf(context: Record<string, unknown>): string {
  try {
    settingsOf(context);
  } catch (error) {
    if (error instanceof DeploymentSettingsError) return error.message;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(context)}`);
}

describe('deployment settings', () => {
  it('without an environment, synthesize the undeployable example, account-agnostic, schedules off', () => {
    const settings = settingsOf({});
    expect(settings).toMatchObject({
      environment: 'example',
      deployable: false,
      schedules: 'off',
      incrementalSchedule: 'rate(1 minute)',
      sweepSchedule: 'rate(1 hour)',
      freshnessSlaSeconds: 900,
      sourceTimeZone: 'UTC',
      ingestCompression: 'zstd',
      transformGeneration: 1,
    });
    expect(settings.account).toBeUndefined();
    expect(settings.databaseVpc).toBeUndefined();
  });

  it('name the buckets with the account and region as tokens, declared once in the topology names', () => {
    const { names } = settingsOf({ environment: 'prod' });
    expect(names.scope).toEqual({ account: Aws.ACCOUNT_ID, region: Aws.REGION });
    expect(resolved(names.ingestBucket)).toEqual({
      'Fn::Join': ['', ['prod-totes-ingest-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]],
    });
    expect(resolved(names.processedBucket)).toEqual({
      'Fn::Join': ['', ['prod-totes-processed-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]],
    });
    // Names unique within an account and region already carry no token.
    expect(names.queue('load', 'dim_staff')).toBe('prod-load-dim_staff');
  });

  it('are deployable only with an environment, an account and a region, all given explicitly', () => {
    const all = { environment: 'prod', account: '123456789012', region: 'eu-west-2' };
    expect(settingsOf(all).deployable).toBe(true);
    for (const key of Object.keys(all)) {
      const { [key as keyof typeof all]: _, ...partial } = all;
      expect(settingsOf(partial).deployable).toBe(false);
    }
  });

  it('never take the account and region from the credentials the CDK CLI found', () => {
    const saved = { ...process.env };
    try {
      process.env.CDK_DEFAULT_ACCOUNT = '123456789012';
      process.env.CDK_DEFAULT_REGION = 'eu-west-2';
      const settings = settingsOf({ environment: 'prod' });
      expect(settings.account).toBeUndefined();
      expect(settings.region).toBeUndefined();
      expect(settings.deployable).toBe(false);
    } finally {
      process.env = saved;
    }
  });

  it('read values given on the command line, which arrive as strings', () => {
    const settings = settingsOf({
      environment: 'staging',
      schedules: 'on',
      freshnessSlaSeconds: '600',
      transformGeneration: '2',
      sweepSchedule: 'off',
      alertEmail: 'ops@example.com',
      ingestCompression: 'gzip',
    });
    expect(settings).toMatchObject({
      schedules: 'on',
      freshnessSlaSeconds: 600,
      transformGeneration: 2,
      sweepSchedule: 'off',
      alertEmail: 'ops@example.com',
      ingestCompression: 'gzip',
    });
    expect(resolved(settings.names.processedBucket)).toMatchObject({
      'Fn::Join': ['', expect.arrayContaining(['staging-totes-processed-'])],
    });
  });

  it('refuse an environment whose bucket names would pass 63 characters with account and region', () => {
    // 19 characters fit the longest region (14); 20 do not, but fit one of 13.
    expect(settingsOf({ environment: 'a'.repeat(19) }).environment).toHaveLength(19);
    expect(problemsOf({ environment: 'a'.repeat(20) })).toMatch(/63 characters.*at most 19/);
    expect(settingsOf({ environment: 'a'.repeat(20), region: 'eu-central-2' }).environment).toHaveLength(20);
  });

  it('place the extractors and loaders in a VPC given on the command line, its lists comma-separated', () => {
    const settings = settingsOf({
      vpcId: 'vpc-0123456789abcdef0',
      vpcSubnetIds: 'subnet-0123456789abcdef0, subnet-89abcdef',
      vpcSecurityGroupIds: 'sg-01234567',
    });
    expect(settings.databaseVpc).toEqual({
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: ['subnet-0123456789abcdef0', 'subnet-89abcdef'],
      securityGroupIds: ['sg-01234567'],
    });
    expect(settings).not.toHaveProperty('vpcSubnetIds');
  });

  it('read the VPC lists as JSON lists too, as cdk.json holds them', () => {
    const settings = settingsOf({
      vpcId: 'vpc-01234567',
      vpcSubnetIds: ['subnet-01234567', 'subnet-89abcdef'],
      vpcSecurityGroupIds: ['sg-01234567', 'sg-89abcdef'],
    });
    expect(settings.databaseVpc).toEqual({
      vpcId: 'vpc-01234567',
      subnetIds: ['subnet-01234567', 'subnet-89abcdef'],
      securityGroupIds: ['sg-01234567', 'sg-89abcdef'],
    });
  });

  it('refuse a partial VPC placement, naming each key missing and none given', () => {
    const { vpcId, vpcSubnetIds, vpcSecurityGroupIds } = databaseVpcContext;
    const onlyVpc = problemsOf({ vpcId });
    expect(onlyVpc).toMatch(/vpcSubnetIds: missing: with vpcId given/);
    expect(onlyVpc).toMatch(/vpcSecurityGroupIds: missing: with vpcId given/);
    expect(onlyVpc).not.toMatch(/vpcId: missing/);
    const noVpc = problemsOf({ vpcSubnetIds, vpcSecurityGroupIds });
    expect(noVpc).toMatch(/vpcId: missing: with vpcSubnetIds and vpcSecurityGroupIds given/);
    expect(noVpc).not.toMatch(/(vpcSubnetIds|vpcSecurityGroupIds): missing/);
  });

  it.each([
    [{ environment: 'Prod!' }, /environment/],
    [{ schedules: 'yes' }, /schedules/],
    [{ alertEmail: 'ops' }, /alertEmail/],
    [
      { incrementalSchedule: 'every minute' },
      /incrementalSchedule: expected an EventBridge Scheduler expression/,
    ],
    [
      { totesysSecretArn: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:prod/totes/totesys' },
      /totesysSecretArn: expected the complete ARN/,
    ],
    [{ freshnessSlaSeconds: 'soon' }, /freshnessSlaSeconds/],
    [{ ...databaseVpcContext, vpcId: 'vpc-main' }, /vpcId: expected a VPC id: vpc- followed by 8 or 17/],
    [{ ...databaseVpcContext, vpcId: 'subnet-0123456789abcdef0' }, /vpcId: expected a VPC id/],
    [
      { ...databaseVpcContext, vpcSubnetIds: 'subnet-0123456789abcdef0,sg-0123456789abcdef0' },
      /vpcSubnetIds\.1: expected a subnet id/,
    ],
    [{ ...databaseVpcContext, vpcSubnetIds: 'subnet-01234567,' }, /vpcSubnetIds\.1: expected a subnet id/],
    [{ ...databaseVpcContext, vpcSubnetIds: [] }, /vpcSubnetIds: expected at least one subnet id/],
    [
      { ...databaseVpcContext, vpcSecurityGroupIds: 'sg-0123456' },
      /vpcSecurityGroupIds\.0: expected a security group id/,
    ],
    [
      {
        ...databaseVpcContext,
        vpcSecurityGroupIds: Array.from({ length: 6 }, (_, i) => `sg-0000000${i}`).join(','),
      },
      /vpcSecurityGroupIds: expected at most 5 security group ids/,
    ],
  ])('refuse %o, naming the context key', (context, message) => {
    expect(() => settingsOf(context)).toThrow(DeploymentSettingsError);
    expect(() => settingsOf(context)).toThrow(message);
  });
});
