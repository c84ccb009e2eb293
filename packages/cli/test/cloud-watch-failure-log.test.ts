import {
  CloudWatchLogsClient,
  type FilterLogEventsCommandInput,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { pipelineResources, resourceNames } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import { cloudWatchFailureLog } from '../src/stack/cloud-watch-failure-log';

// CloudWatch Logs cannot run here: the client is real, and answers at its network boundary.
const names = resourceNames('prod');
const [queue] = pipelineResources(names).queues.filter(
  (q) => q.stage === 'load' && q.table === 'fact_payment',
);

type Answer = (input: FilterLogEventsCommandInput) => { events: { timestamp: number; message: string }[] };

function logsAnswering(
  answer: Answer | 'no group',
  asked: FilterLogEventsCommandInput[],
): CloudWatchLogsClient {
  const client = new CloudWatchLogsClient({
    region: 'eu-west-2',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  client.middlewareStack.add(
    () => async (args) => {
      const input = args.input as FilterLogEventsCommandInput;
      asked.push(input);
      if (answer === 'no group') {
        throw new ResourceNotFoundException({
          message: 'The specified log group does not exist.',
          $metadata: {},
        });
      }
      return { output: { ...answer(input), $metadata: {} }, response: {} } as never;
    },
    { step: 'initialize', name: 'answerHere' },
  );
  return client;
}

const failed = (messageId: string, error: string) =>
  `2026-12-07T10:00:00.000Z\treq-1\tERROR\t${JSON.stringify({ message: 'message failed', messageId, error: { name: 'MissingDimensionError', message: error } })}`;

describe('the failures of dead letters, from CloudWatch Logs', () => {
  it('asks the function’s log group for the ids in dozens, from a day before the oldest was sent, and counts them in time order', async () => {
    const asked: FilterLogEventsCommandInput[] = [];
    const ids = Array.from({ length: 13 }, (_, index) => `id-${index}`);
    const logs = logsAnswering(
      (input) =>
        input.filterPattern?.includes('"id-0"')
          ? {
              events: [
                { timestamp: 2, message: failed('id-0', 'second') },
                { timestamp: 1, message: failed('id-0', 'first') },
                { timestamp: 3, message: 'a line of something else' },
              ],
            }
          : { events: [] },
      asked,
    );
    const sentAt = Date.parse('2026-12-07T12:00:00Z');
    const messages = [...ids.map((messageId) => ({ messageId, sentAt })), { messageId: 'not"an id' }];
    const records = await cloudWatchFailureLog(logs, names).failuresOf(queue as never, messages);

    expect(asked).toHaveLength(2);
    expect(asked[0]?.logGroupName).toBe(`/aws/lambda/${names.functionName('load', 'fact_payment')}`);
    expect(asked[0]?.startTime).toBe(sentAt - 24 * 3600 * 1000);
    expect(asked.every((input) => !input.filterPattern?.includes('not"an id'))).toBe(true);
    expect(records.get('id-0')).toEqual({ failures: 2, last: 'MissingDimensionError: second' });
    expect(records.size).toBe(1);
  });

  it('asks from the start of the log when a message has no time sent', async () => {
    const asked: FilterLogEventsCommandInput[] = [];
    await cloudWatchFailureLog(
      logsAnswering(() => ({ events: [] }), asked),
      names,
    ).failuresOf(queue as never, [{ messageId: 'id-1' }]);
    expect(asked[0]?.startTime).toBeUndefined();
  });

  it('holds no failures for a function whose log group does not exist yet', async () => {
    const records = await cloudWatchFailureLog(logsAnswering('no group', []), names).failuresOf(
      queue as never,
      [{ messageId: 'id-1', sentAt: 1 }],
    );
    expect(records.size).toBe(0);
  });
});
