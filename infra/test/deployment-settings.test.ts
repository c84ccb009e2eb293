import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DeploymentSettingsError, deploymentSettings } from '../src/index';

const settingsOf = (context: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) =>
  deploymentSettings(new App({ context }).node, env);

describe('deployment settings', () => {
  it('default to a prod deployment, environment-agnostic, with sweeps every hour', () => {
    const settings = settingsOf({});
    expect(settings).toMatchObject({
      environment: 'prod',
      incrementalSchedule: 'rate(1 minute)',
      sweepSchedule: 'rate(1 hour)',
      freshnessSlaSeconds: 900,
      sourceTimeZone: 'UTC',
      transformGeneration: 1,
    });
    expect(settings.account).toBeUndefined();
    expect(settings.names.ingestBucket).toBe('prod-totes-ingest');
  });

  it('read values given on the command line, which arrive as strings', () => {
    const settings = settingsOf({
      environment: 'staging',
      freshnessSlaSeconds: '600',
      transformGeneration: '2',
      sweepSchedule: 'off',
      alertEmail: 'ops@example.com',
    });
    expect(settings).toMatchObject({
      freshnessSlaSeconds: 600,
      transformGeneration: 2,
      sweepSchedule: 'off',
      alertEmail: 'ops@example.com',
    });
    expect(settings.names.processedBucket).toBe('staging-totes-processed');
  });

  it('take the account and region the CDK CLI resolved, unless the context names them', () => {
    const cli = { CDK_DEFAULT_ACCOUNT: '123456789012', CDK_DEFAULT_REGION: 'eu-west-2' };
    expect(settingsOf({}, cli)).toMatchObject({ account: '123456789012', region: 'eu-west-2' });
    expect(settingsOf({ region: 'eu-west-1' }, cli)).toMatchObject({ region: 'eu-west-1' });
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
  ])('refuse %o, naming the context key', (context, message) => {
    expect(() => settingsOf(context)).toThrow(DeploymentSettingsError);
    expect(() => settingsOf(context)).toThrow(message);
  });
});
