import { appendFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** A received message that is being processed: where it came from and how to hand it back. */
export interface InFlightMessage {
  readonly queueUrl: string;
  readonly receiptHandle: string;
}

/**
 * The messages the local function runners hold right now, kept in a file as well as in memory.
 * A message being processed stays invisible for its queue's visibility timeout (six times the
 * function's timeout), so after a crash it would reappear only minutes later; the next stack on
 * the same data directory reads the journal and hands those messages back at once.
 */
export interface InFlightJournal {
  /** Records messages just received. */
  hold(messages: readonly InFlightMessage[]): void;
  /** Forgets messages that were deleted or handed back. */
  release(receiptHandles: readonly string[]): void;
  /** Messages held now. */
  readonly size: number;
}

// The file is appended to ("+" holds, "-" releases) and rewritten once it is mostly releases.
const compactAfterLines = 2_000;

/** Opens the journal in `file`, which must hold no earlier run's messages (see {@link releaseOrphans}). */
export function inFlightJournal(file: string): InFlightJournal {
  const held = new Map<string, string>();
  let lines = 0;
  writeFileSync(file, '');
  const compact = () => {
    const temporary = `${file}.tmp`;
    writeFileSync(
      temporary,
      [...held]
        .map(([receiptHandle, queueUrl]) => `+${JSON.stringify({ queueUrl, receiptHandle })}\n`)
        .join(''),
    );
    renameSync(temporary, file);
    lines = held.size;
  };
  return {
    hold(messages) {
      if (messages.length === 0) return;
      for (const message of messages) held.set(message.receiptHandle, message.queueUrl);
      appendFileSync(file, messages.map((message) => `+${JSON.stringify(message)}\n`).join(''));
      lines += messages.length;
    },
    release(receiptHandles) {
      if (receiptHandles.length === 0) return;
      for (const handle of receiptHandles) held.delete(handle);
      appendFileSync(file, receiptHandles.map((handle) => `-${JSON.stringify(handle)}\n`).join(''));
      lines += receiptHandles.length;
      if (lines > compactAfterLines && lines > 4 * held.size) compact();
    },
    get size() {
      return held.size;
    },
  };
}

/** The messages a journal file still holds (a line cut short by a crash is ignored). */
export function heldMessages(file: string): InFlightMessage[] {
  if (!existsSync(file)) return [];
  const held = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    try {
      if (line.startsWith('+')) {
        const message = JSON.parse(line.slice(1)) as InFlightMessage;
        held.set(message.receiptHandle, message.queueUrl);
      } else if (line.startsWith('-')) {
        held.delete(JSON.parse(line.slice(1)) as string);
      }
    } catch {
      // The last line of a process killed mid-write.
    }
  }
  return [...held].map(([receiptHandle, queueUrl]) => ({ queueUrl, receiptHandle }));
}

/**
 * Hands back, visible at once, every message an earlier run on this data directory was holding
 * when it stopped, then removes its journal. A message deleted since (its handle no longer valid)
 * is skipped. Only the process that owns the data directory may call this. Returns how many
 * messages were handed back.
 */
export async function releaseOrphans(file: string, sqs: Pick<SQSClient, 'send'>): Promise<number> {
  let released = 0;
  for (const message of heldMessages(file)) {
    try {
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: message.queueUrl,
          ReceiptHandle: message.receiptHandle,
          VisibilityTimeout: 0,
        }),
      );
      released += 1;
    } catch {
      // Deleted, or visible again already.
    }
  }
  rmSync(file, { force: true });
  return released;
}
