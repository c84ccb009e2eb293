import { KeyLayoutError, MalformedObjectError, NotificationError } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import { failureKind } from '../src/failure-kind';
import { MissingDimensionError } from '../src/missing-dimension-error';
import { WarehouseError } from '../src/warehouse-error';

describe('the kind of a failure', () => {
  it.each([
    ['a corrupt object', new MalformedObjectError('k', undefined, 'not Parquet'), 'bad-input'],
    ['a message that is not an S3 notification', new NotificationError('not JSON'), 'bad-input'],
    ['a key outside the layout', new KeyLayoutError('k', 'no'), 'bad-input'],
    [
      'a fact waiting for its dimensions',
      new MissingDimensionError('fact_payment', 'k', { dim_staff: ['1'] }),
      'waiting',
    ],
    ['a warehouse outage', new WarehouseError('fact_payment', 'k', new Error('ECONNREFUSED')), 'transient'],
    ['an unexpected error', new Error('S3 timed out'), 'transient'],
  ])('treats %s as %s', (_, error, kind) => {
    expect(failureKind(error)).toBe(kind);
  });
});
