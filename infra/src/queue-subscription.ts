import type { SubscriptionResource } from '@totes/pipeline';
import { Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnSubscription } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { topicArn } from './resource-arns';

/**
 * A topic → queue subscription as the topology declares it: the S3 notification in the message
 * body (not raw delivery, as the services read it) filtered on the object key by the topology's
 * own filter policy, with `FilterPolicyScope: MessageBody`, exactly as the local stack subscribes.
 * The queue's policy lets only that topic send to it, and exists before the subscription.
 */
export class QueueSubscription extends Construct {
  readonly subscription: CfnSubscription;

  constructor(scope: Construct, id: string, resource: SubscriptionResource, queue: Queue) {
    super(scope, id);
    const topic = topicArn(this, resource.topic);
    queue.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('sns.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': topic } },
      }),
    );
    this.subscription = new CfnSubscription(this, 'Subscription', {
      topicArn: topic,
      protocol: 'sqs',
      endpoint: queue.queueArn,
      rawMessageDelivery: false,
      filterPolicy: resource.filterPolicy,
      filterPolicyScope: 'MessageBody',
    });
    this.subscription.node.addDependency(queue);
    Validations.of(this.subscription).acknowledge({
      id: 'Serverless-SNSRedrivePolicy',
      reason:
        'A notification SNS fails to deliver is not kept in a subscription DLQ: the reconciler finds every stored object its stage has not consumed and sends its event again (invariant 8), so nothing waits there to be redriven.',
    });
  }
}
