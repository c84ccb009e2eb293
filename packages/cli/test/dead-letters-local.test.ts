import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { emulatorQueueInspector } from '@totes/local';
import { extractMessage, type SourceTableName } from '@totes/pipeline';
import { useTestPipeline } from '@totes/test-harness';
import { describe, expect, it } from 'vitest';
import { deadLetters, redrive, selectQueues } from '../src/stack/dead-letters';
import type { QueueConnection } from '../src/stack/queue-connection';

describe('listing the dead letters of a local stack, on the emulator', () => {
  const pipeline = useTestPipeline();

  /** The connection a local stack gives the commands: with the emulator's inspector. */
  const connection = (): QueueConnection => ({
    resources: pipeline().resources,
    sqs: pipeline().clients.sqs,
    failureLog: { source: 'no logs', failuresOf: async () => new Map() },
    moveTasks: false,
    inspector: emulatorQueueInspector(pipeline().aws.endpoint),
    queueUrl: (name) => pipeline().queueUrl(name),
    close: async () => {},
  });

  async function deadLetter(table: SourceTableName, run: string): Promise<string> {
    const { MessageId } = await pipeline().clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: pipeline().queueUrl(pipeline().names.deadLetterQueue('extract', table)),
        ...extractMessage({ mode: 'full', table, run }, `dead-${table}-${run}`),
      }),
    );
    if (!MessageId) throw new Error('SendMessage returned no id');
    return MessageId;
  }

  it('lists every dead letter of a FIFO DLQ, several in one message group, in the order they came, once each', async () => {
    const runs = ['20240201T000000000', '20240201T000000001', '20240201T000000002', '20240201T000000003'];
    const sent: string[] = [];
    for (const run of runs) sent.push(await deadLetter('sales_order', run));
    const other = await deadLetter('payment', '20240201T000000004');
    // One of each message group in flight, as a look at the queue or a redrive in progress would
    // leave them: the extract DLQ holds every table's requests.
    const dlq = pipeline().names.deadLetterQueue('extract', 'sales_order');
    const received = await pipeline().clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: pipeline().queueUrl(dlq),
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 30,
      }),
    );
    expect(received.Messages).toHaveLength(2);

    const { letters, queues } = await deadLetters(
      connection(),
      selectQueues(connection(), { stage: 'extract' }),
    );

    // Each letter names the table its request does.
    expect(
      letters.filter((letter) => letter.table === 'sales_order').map((letter) => letter.messageId),
    ).toEqual(sent);
    expect(letters.map((letter) => letter.messageId)).toContain(other);
    expect(letters).toHaveLength(5);
    expect(letters.find((letter) => letter.messageId === sent[2])?.subject).toContain(
      '"run":"20240201T000000002"',
    );
    expect(queues).toContainEqual(
      expect.objectContaining({ queue: dlq, messages: 5, visible: 3, inFlight: 2, listed: 5 }),
    );
    // Looking took nothing: the counts are as they were.
    const { Attributes } = await pipeline().clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: pipeline().queueUrl(dlq),
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    expect(Attributes).toMatchObject({
      ApproximateNumberOfMessages: '3',
      ApproximateNumberOfMessagesNotVisible: '2',
    });
  });

  it("chooses one table's requests in the extract DLQ by the table they name, and moves back only those", async () => {
    const kept = await deadLetter('staff', '20240301T000000000');
    const chosen = await deadLetter('design', '20240301T000000001');
    const queues = selectQueues(connection(), { stage: 'extract', table: 'design' });
    expect(queues.map((queue) => queue.name)).toEqual([pipeline().names.queue('extract', 'design')]);

    const { letters } = await deadLetters(connection(), queues, { table: 'design' });
    expect(letters.map((letter) => letter.messageId)).toContain(chosen);
    expect(letters.map((letter) => letter.messageId)).not.toContain(kept);
    expect(new Set(letters.map((letter) => letter.table))).toEqual(new Set(['design']));

    const moved = await redrive(connection(), queues, { table: 'design' });
    expect(moved.moved).toBe(letters.length);
    const { Messages = [] } = await pipeline().clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: pipeline().queueUrl(pipeline().names.queue('extract', 'design')),
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['MessageGroupId'],
      }),
    );
    // (The earlier test's tables have a message in flight, which holds their message groups.)
    // Back in the extract queue, in the table's message group; the other table's left alone.
    expect(Messages.map((message) => message.Attributes?.MessageGroupId)).toEqual(['design']);
    const left = await deadLetters(connection(), queues, { table: 'staff' });
    expect(left.letters.map((letter) => letter.messageId)).toContain(kept);
  });
});
