import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DeploymentSettingsError, deploymentSettings } from '../src/index';
import { databaseVpcContext } from './synthesized-pipeline';

const settingsOf = (context: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) =>
  deploymentSettings(new App({ context }).node, env);

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
  it('default to a prod deployment, environment-agnostic, with sweeps every hour', () => {
    const settings = settingsOf({});
    expect(settings).toMatchObject({
      environment: 'prod',
      incrementalSchedule: 'rate(1 minute)',
      sweepSchedule: 'rate(1 hour)',
      freshnessSlaSeconds: 900,
      sourceTimeZone: 'UTC',
      ingestCompression: 'zstd',
      transformGeneration: 1,
    });
    expect(settings.account).toBeUndefined();
    expect(settings.databaseVpc).toBeUndefined();
    expect(settings.names.ingestBucket).toBe('prod-totes-ingest');
  });

  it('read values given on the command line, which arrive as strings', () => {
    const settings = settingsOf({
      environment: 'staging',
      freshnessSlaSeconds: '600',
      transformGeneration: '2',
      sweepSchedule: 'off',
      alertEmail: 'ops@example.com',
      ingestCompression: 'gzip',
    });
    expect(settings).toMatchObject({
      freshnessSlaSeconds: 600,
      transformGeneration: 2,
      sweepSchedule: 'off',
      alertEmail: 'ops@example.com',
      ingestCompression: 'gzip',
    });
    expect(settings.names.processedBucket).toBe('staging-totes-processed');
  });

  it('take the account and region the CDK CLI resolved, unless the context names them', () => {
    const cli = { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-west-2' };
    expect(settingsOf({}, cli)).toMatchObject({ account: '123456789012', region: 'eu-west-2' });
    expect(settingsOf({ region: 'eu-west-1' }, cli)).toMatchObject({ region: 'eu-west-1' });
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
