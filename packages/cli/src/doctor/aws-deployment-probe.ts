import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  ListSubscriptionsByTopicCommand,
  type ListSubscriptionsByTopicCommandOutput,
  ListTopicsCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import type { DeploymentProbe, ScheduleState, TopicSubscription } from './aws-checks';

const notFound = (error: unknown, ...names: string[]) => {
  const { name = '', message = '' } = error as { name?: string; message?: string };
  return names.includes(name) || /does not exist/i.test(message);
};

/** The {@link DeploymentProbe} over the AWS SDK, with the default credentials and region. */
export function awsDeploymentProbe(): DeploymentProbe & { destroy(): void } {
  const cloudFormation = new CloudFormationClient({});
  const secrets = new SecretsManagerClient({});
  const scheduler = new SchedulerClient({});
  const sns = new SNSClient({});
  return {
    async stackStatus(name) {
      try {
        const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: name }));
        return Stacks?.[0]?.StackStatus;
      } catch (error) {
        if (notFound(error, 'ValidationError')) return undefined;
        throw error;
      }
    },
    async secretValue(name) {
      try {
        return (await secrets.send(new GetSecretValueCommand({ SecretId: name }))).SecretString ?? '';
      } catch (error) {
        if (notFound(error, 'ResourceNotFoundException')) return undefined;
        throw error;
      }
    },
    async schedules(group) {
      const found: ScheduleState[] = [];
      let token: string | undefined;
      try {
        do {
          const page = await scheduler.send(new ListSchedulesCommand({ GroupName: group, NextToken: token }));
          for (const schedule of page.Schedules ?? []) {
            found.push({ name: schedule.Name ?? '', state: schedule.State ?? 'UNKNOWN' });
          }
          token = page.NextToken;
        } while (token);
      } catch (error) {
        if (notFound(error, 'ResourceNotFoundException')) return undefined;
        throw error;
      }
      return found;
    },
    async subscriptions(topic) {
      let arn: string | undefined;
      let token: string | undefined;
      do {
        const page = await sns.send(new ListTopicsCommand({ NextToken: token }));
        arn = page.Topics?.find((candidate) => candidate.TopicArn?.split(':').pop() === topic)?.TopicArn;
        token = arn ? undefined : page.NextToken;
      } while (token);
      if (!arn) return undefined;
      const found: TopicSubscription[] = [];
      token = undefined;
      do {
        const page: ListSubscriptionsByTopicCommandOutput = await sns.send(
          new ListSubscriptionsByTopicCommand({ TopicArn: arn, NextToken: token }),
        );
        for (const subscription of page.Subscriptions ?? []) {
          found.push({
            protocol: subscription.Protocol ?? '',
            endpoint: subscription.Endpoint ?? '',
            confirmed: Boolean(subscription.SubscriptionArn?.startsWith('arn:')),
          });
        }
        token = page.NextToken;
      } while (token);
      return found;
    },
    destroy() {
      cloudFormation.destroy();
      secrets.destroy();
      scheduler.destroy();
      sns.destroy();
    },
  };
}
