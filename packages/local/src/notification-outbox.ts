import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { CreatedObject } from './s3-notification-proxy';

/** A created object whose notification is owed, with the id it is recorded under. */
export interface OwedNotification {
  readonly id: number;
  readonly object: CreatedObject;
}

/**
 * The notifications the S3 proxy owes, kept in a file.
 *
 * An object's creation is recorded before its writer hears that the write succeeded, and crossed
 * off once its event is published. A process that stops in between (a crash, Ctrl-C) leaves the
 * record, and the next stack on the data directory publishes it, so no object's event is lost for
 * good.
 */
export interface NotificationOutbox {
  /** Records an object whose notification is about to be published; returns its id. */
  owe(object: CreatedObject): number;
  /** Crosses off a published notification. */
  paid(id: number): void;
  /** Notifications owed now, oldest first (those of an earlier run included, until paid). */
  owed(): readonly OwedNotification[];
}

// The file is appended to ("+" owes, "-" pays) and rewritten once it is mostly paid lines.
const compactAfterLines = 2_000;

function read(file: string): Map<number, CreatedObject> {
  const owed = new Map<number, CreatedObject>();
  if (!existsSync(file)) return owed;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    try {
      if (line.startsWith('+')) {
        const entry = JSON.parse(line.slice(1)) as OwedNotification;
        owed.set(entry.id, entry.object);
      } else if (line.startsWith('-')) {
        owed.delete(Number(line.slice(1)));
      }
    } catch {
      // The last line of a process killed mid-write.
    }
  }
  return owed;
}

/** Opens the outbox in `file`, keeping what an earlier run still owed. */
export function notificationOutbox(file: string): NotificationOutbox {
  const owed = read(file);
  let next = Math.max(0, ...owed.keys()) + 1;
  let lines = 0;
  const rewrite = () => {
    const temporary = `${file}.tmp`;
    writeFileSync(
      temporary,
      [...owed].map(([id, object]) => `+${JSON.stringify({ id, object })}\n`).join(''),
    );
    renameSync(temporary, file);
    lines = owed.size;
  };
  rewrite();
  return {
    owe(object) {
      const id = next++;
      owed.set(id, object);
      appendFileSync(file, `+${JSON.stringify({ id, object })}\n`);
      lines += 1;
      return id;
    },
    paid(id) {
      if (!owed.delete(id)) return;
      appendFileSync(file, `-${id}\n`);
      lines += 1;
      if (lines > compactAfterLines && lines > 4 * owed.size) rewrite();
    },
    owed: () => [...owed].map(([id, object]) => ({ id, object })),
  };
}
