import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { QueueResource } from '@totes/pipeline';
import { logFilesOf } from './log-sink';

/** What a function logged of one message's failures. */
export interface FailureRecord {
  readonly failures: number;
  /** The last error, as `Name: message`. */
  readonly last: string;
}

/** A message whose failures are looked up: its id, and when it was first sent (epoch ms). */
export interface LoggedMessage {
  readonly messageId: string;
  readonly sentAt?: number;
}

/** Where the functions of a deployment log the failures of the messages they are given. */
export interface FailureLog {
  /** What the failures are read from, for people ("the log file …", "CloudWatch Logs"). */
  readonly source: string;
  /**
   * The failures the function of `queue` logged for each of `messages` (a dead letter keeps its
   * id), by message id; messages without any are absent. Throws when the log cannot be read.
   */
  failuresOf(
    queue: QueueResource,
    messages: readonly LoggedMessage[],
  ): Promise<ReadonlyMap<string, FailureRecord>>;
}

/** The fields of a "message failed" line (`sqsBatchHandler` in `@totes/runtime` writes them). */
interface FailureLine {
  readonly messageId: string;
  readonly error: string;
}

/**
 * Reads one "message failed" log line.
 *
 * A JSON object, possibly after a prefix (Lambda's text format puts a timestamp and request id
 * before what the function wrote). Anything else, including a line cut short by a crash, is not
 * one.
 */
export function failureLine(line: string): FailureLine | undefined {
  const start = line.indexOf('{');
  if (start < 0 || !line.includes('message failed')) return undefined;
  try {
    const entry = JSON.parse(line.slice(start)) as {
      message?: unknown;
      messageId?: unknown;
      error?: { name?: string; message?: string };
    };
    if (entry.message !== 'message failed' || typeof entry.messageId !== 'string') return undefined;
    return {
      messageId: entry.messageId,
      error: `${entry.error?.name ?? 'Error'}: ${entry.error?.message ?? '(no message)'}`,
    };
  } catch {
    return undefined;
  }
}

/** Counts failure lines, oldest first, into records by message id. */
export function failureRecords(lines: Iterable<string>): Map<string, FailureRecord> {
  const records = new Map<string, FailureRecord>();
  for (const line of lines) {
    const failure = failureLine(line);
    if (!failure) continue;
    const known = records.get(failure.messageId);
    records.set(failure.messageId, { failures: (known?.failures ?? 0) + 1, last: failure.error });
  }
  return records;
}

/** The failure lines of the log and of its rotated files, oldest first. */
async function readFailureLines(path: string): Promise<string[]> {
  const lines: string[] = [];
  for (const file of logFilesOf(path)) {
    const input = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of input) if (line.includes('"message failed"')) lines.push(line);
  }
  return lines;
}

/**
 * The local stack's failure log.
 *
 * The JSON Lines file its functions write (read once per command; a missing file holds no
 * failures). Counting receives instead would be wrong: every look at a DLQ is a receive too.
 */
export function fileFailureLog(path: string): FailureLog {
  let records: Promise<Map<string, FailureRecord>> | undefined;
  return {
    source: `the log file ${path}`,
    async failuresOf(_queue, messages) {
      records ??= readFailureLines(path).then(failureRecords);
      const all = await records;
      const found = new Map<string, FailureRecord>();
      for (const { messageId } of messages) {
        const record = all.get(messageId);
        if (record) found.set(messageId, record);
      }
      return found;
    },
  };
}
