import { describe, expect, it } from 'vitest';
import {
  KeyLayoutError,
  MalformedObjectError,
  NotificationError,
  objectsCreated,
  PipelineError,
} from '../src/index';

describe('PipelineError', () => {
  it('is retryable unless told otherwise, and carries the table, object and cause', () => {
    const cause = new Error('connection reset');
    const error = new PipelineError('load failed', { cause, table: 'fact_payment', objectKey: 'k' });
    expect(error).toMatchObject({ retryable: true, table: 'fact_payment', objectKey: 'k', cause });
  });

  it('is the base of malformed objects, bad keys and bad notifications, none of them retryable', () => {
    const errors = [
      new MalformedObjectError('staff/x.jsonl.zst', 3, 'not JSON'),
      new KeyLayoutError('nowhere', 'no table'),
      new NotificationError('not an S3 notification'),
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(PipelineError);
      expect(error.retryable).toBe(false);
    }
    expect(errors[0]).toMatchObject({
      objectKey: 'staff/x.jsonl.zst',
      message: 'staff/x.jsonl.zst, line 3: not JSON',
    });
    expect(errors[1]?.objectKey).toBe('nowhere');
  });

  it('is what an unreadable message body raises', () => {
    expect(() => objectsCreated('{')).toThrow(PipelineError);
  });
});
