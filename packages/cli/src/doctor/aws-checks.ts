import { sourceTableNames } from '@totes/pipeline';
import { errorSummary } from '../error-summary';
import { deploymentNames } from './deployment-names';
import { type DoctorCheck, fail, ok, warn } from './doctor-check';

/** A schedule of EventBridge Scheduler, as far as doctor needs it. */
export interface ScheduleState {
  readonly name: string;
  /** `ENABLED` or `DISABLED`. */
  readonly state: string;
}

/** A subscription of an SNS topic. */
export interface TopicSubscription {
  readonly protocol: string;
  readonly endpoint: string;
  /** False while its owner has not confirmed it (`PendingConfirmation`). */
  readonly confirmed: boolean;
}

/**
 * What `totes doctor --aws` asks of a deployment.
 *
 * Narrow reads, each `undefined` when the thing does not exist. Implemented over the AWS SDK in
 * `aws-deployment-probe.ts`, by plain objects in tests.
 */
export interface DeploymentProbe {
  /** A CloudFormation stack's status (`CREATE_COMPLETE`, …). */
  stackStatus(name: string): Promise<string | undefined>;
  /** A secret's current value (never printed; only looked at). */
  secretValue(name: string): Promise<string | undefined>;
  /** The schedules of a schedule group. */
  schedules(group: string): Promise<readonly ScheduleState[] | undefined>;
  /** The subscriptions of the SNS topic named `topic`. */
  subscriptions(topic: string): Promise<readonly TopicSubscription[] | undefined>;
}

/** Runs one probe, turning an error (no permission, no network) into a failed check. */
async function probed<T>(
  check: string,
  read: () => Promise<T>,
  judge: (value: T) => DoctorCheck,
): Promise<DoctorCheck> {
  let value: T;
  try {
    value = await read();
  } catch (error) {
    return fail(
      check,
      `could not be read: ${errorSummary(error)}`,
      'check AWS_PROFILE and AWS_REGION, and that your role may read it (the operator policy, or read-only access)',
    );
  }
  return judge(value);
}

const settledStatus = /_COMPLETE$/;
const failedStatus = /FAILED|ROLLBACK/;

/** Every check of a deployment in AWS: stacks, secrets, schedules, the alerts topic's subscribers. */
export async function awsChecks(environment: string, probe: DeploymentProbe): Promise<DoctorCheck[]> {
  const names = deploymentNames(environment);
  const checks: DoctorCheck[] = [];
  for (const stack of names.stacks) {
    checks.push(
      await probed(
        `stack ${stack}`,
        () => probe.stackStatus(stack),
        (status) => {
          if (status === undefined) {
            return fail(
              `stack ${stack}`,
              'does not exist',
              `deploy it: npx cdk deploy ${stack} -c environment=${environment}`,
            );
          }
          if (failedStatus.test(status) && !/^UPDATE_ROLLBACK_COMPLETE$/.test(status)) {
            return fail(
              `stack ${stack}`,
              status,
              'see its events in the CloudFormation console, fix, deploy again',
            );
          }
          if (!settledStatus.test(status))
            return warn(`stack ${stack}`, status, 'wait for the deployment to finish');
          return ok(`stack ${stack}`, status);
        },
      ),
    );
  }
  for (const { secret, database } of names.secrets) {
    checks.push(
      await probed(
        `secret ${secret}`,
        () => probe.secretValue(secret),
        (value) => {
          if (value === undefined) {
            return fail(
              `secret ${secret}`,
              'does not exist',
              `deploy the stacks, or create it with the ${database}'s connection`,
            );
          }
          let parsed: { host?: unknown; password?: unknown } = {};
          try {
            parsed = JSON.parse(value) as typeof parsed;
          } catch {
            return fail(`secret ${secret}`, 'is not JSON', names.secretFix(secret));
          }
          if (!parsed.host || parsed.host === names.placeholderHost || !parsed.password) {
            return fail(
              `secret ${secret}`,
              `still holds the placeholder, not the ${database}'s connection`,
              names.secretFix(secret),
            );
          }
          return ok(`secret ${secret}`, 'set');
        },
      ),
    );
  }
  checks.push(
    await probed(
      `schedules ${names.scheduleGroup}`,
      () => probe.schedules(names.scheduleGroup),
      (schedules) => {
        const check = `schedules ${names.scheduleGroup}`;
        if (schedules === undefined)
          return fail(check, 'the schedule group does not exist', 'deploy the extractor stack');
        const present = new Set(schedules.map((schedule) => schedule.name));
        const missing = sourceTableNames.filter((table) => !present.has(names.incrementalSchedule(table)));
        const disabled = schedules
          .filter((schedule) => schedule.state !== 'ENABLED')
          .map((schedule) => schedule.name);
        if (missing.length > 0) {
          return fail(
            check,
            `no incremental schedule for ${missing.join(', ')}`,
            'deploy the extractor stack',
          );
        }
        if (disabled.length > 0) {
          return fail(
            check,
            `disabled: ${disabled.slice(0, 3).join(', ')}${disabled.length > 3 ? ` and ${disabled.length - 3} more` : ''}`,
            'enable them in the EventBridge Scheduler console (`aws scheduler update-schedule … --state ENABLED`)',
          );
        }
        return ok(check, `all ${schedules.length} enabled`);
      },
    ),
  );
  checks.push(
    await probed(
      `alerts ${names.alertsTopic}`,
      () => probe.subscriptions(names.alertsTopic),
      (subscriptions) => {
        const check = `alerts ${names.alertsTopic}`;
        if (subscriptions === undefined)
          return fail(check, 'the topic does not exist', 'deploy the storage stack');
        const confirmed = subscriptions.filter((subscription) => subscription.confirmed);
        if (confirmed.length > 0) {
          return ok(check, `${confirmed.length} confirmed subscriber${confirmed.length === 1 ? '' : 's'}`);
        }
        return fail(
          check,
          subscriptions.length > 0
            ? `${subscriptions.length} subscription(s) awaiting confirmation: nobody gets the alerts`
            : 'no subscriber: nobody gets the alerts',
          subscriptions.length > 0
            ? 'click the link in the "AWS Notification - Subscription Confirmation" e-mail'
            : `subscribe an address: aws sns subscribe --topic-arn <arn of ${names.alertsTopic}> --protocol email --notification-endpoint you@example.com`,
        );
      },
    ),
  );
  return checks;
}
