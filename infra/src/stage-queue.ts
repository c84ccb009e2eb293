import type { QueueResource } from '@totes/pipeline';
import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

const retention = Duration.days(14);

/**
 * A function's queue and its dead-letter queue, as the topology declares them (the same
 * attributes the local stack provisions): FIFO with content-based deduplication for extraction,
 * so schedules that cannot set a deduplication id still send distinct requests.
 */
export class StageQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, resource: QueueResource) {
    super(scope, id);
    const common = {
      retentionPeriod: retention,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      ...(resource.fifo ? { fifo: true, contentBasedDeduplication: true } : {}),
    };
    this.deadLetterQueue = new Queue(this, 'DeadLetters', { ...common, queueName: resource.deadLetterQueue });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason: `This queue is the dead-letter queue of ${resource.name}: its messages wait here for an operator (totes dlq), never for another redrive.`,
    });
    this.queue = new Queue(this, 'Queue', {
      ...common,
      queueName: resource.name,
      visibilityTimeout: Duration.seconds(resource.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: resource.maxReceiveCount },
    });
  }
}
