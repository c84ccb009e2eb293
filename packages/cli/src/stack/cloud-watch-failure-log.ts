import { type CloudWatchLogsClient, paginateFilterLogEvents } from '@aws-sdk/client-cloudwatch-logs';
import type { QueueResource, ResourceNames } from '@totes/pipeline';
import { type FailureLog, failureRecords, type LoggedMessage } from './failure-log';

/**
 * The log group of a function, as the CDK app names it (`infra/src/stage-function.ts`).
 *
 * Lambda's own convention, so the group is the one Lambda would have created.
 */
export function logGroupOf(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** A filter pattern may be 1,024 characters long; a message id takes about 56 of them. */
const idsPerPattern = 12;

/**
 * How far before a dead letter's `SentTimestamp` its failures may have been logged: a FIFO DLQ
 * stamps the message when it arrives there, after its failures (at most three receives of an
 * extract message, half an hour apart).
 */
const lookBackMs = 24 * 3600 * 1000;

/** A CloudWatch Logs JSON filter pattern for the "message failed" lines of some message ids. */
export function failurePattern(messageIds: readonly string[]): string {
  const ids = messageIds.map((id) => `$.messageId = "${id}"`).join(' || ');
  return `{ $.message = "message failed" && (${ids}) }`;
}

/**
 * The failure log of a deployment in AWS.
 *
 * The "message failed" lines of each function's log group, found with `FilterLogEvents` for the
 * message ids asked about (a dozen ids a request), from a day before the oldest was sent. A log
 * group that does not exist holds no failures.
 */
export function cloudWatchFailureLog(logs: CloudWatchLogsClient, names: ResourceNames): FailureLog {
  return {
    source: 'CloudWatch Logs',
    async failuresOf(queue: QueueResource, messages: readonly LoggedMessage[]) {
      const logGroupName = logGroupOf(names.functionName(queue.stage, queue.table as never));
      // Ids are SQS's UUIDs; anything else could not be quoted into a pattern safely.
      const wanted = messages.filter((message) => /^[A-Za-z0-9-]{1,100}$/.test(message.messageId));
      const events: { timestamp: number; message: string }[] = [];
      for (let start = 0; start < wanted.length; start += idsPerPattern) {
        const chunk = wanted.slice(start, start + idsPerPattern);
        const sentAt = Math.min(...chunk.map((message) => message.sentAt ?? 0));
        try {
          for await (const page of paginateFilterLogEvents(
            { client: logs },
            {
              logGroupName,
              filterPattern: failurePattern(chunk.map((message) => message.messageId)),
              ...(sentAt > 0 ? { startTime: sentAt - lookBackMs } : {}),
            },
          )) {
            for (const event of page.events ?? []) {
              events.push({ timestamp: event.timestamp ?? 0, message: event.message ?? '' });
            }
          }
        } catch (error) {
          if ((error as { name?: string }).name === 'ResourceNotFoundException') return new Map();
          throw error;
        }
      }
      events.sort((a, b) => a.timestamp - b.timestamp);
      return failureRecords(events.map((event) => event.message));
    },
  };
}
