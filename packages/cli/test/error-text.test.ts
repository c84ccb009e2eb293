import { describe, expect, it } from 'vitest';
import { errorSummary } from '../src/error-summary';
import { describeError, failureMessage } from '../src/failure-message';

describe('the one-line summary of an error', () => {
  it('is its name and the first line of its message', () => {
    expect(errorSummary(new TypeError('bad value\nat line 2'))).toBe('TypeError: bad value');
  });

  it('cuts a long message at 200 characters', () => {
    const summary = errorSummary(new Error('x'.repeat(250)));
    expect(summary).toBe(`Error: ${'x'.repeat(200)}…`);
  });

  it('adds the HTTP status an AWS SDK error carries', () => {
    const error = Object.assign(new Error('Access Denied'), {
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    expect(errorSummary(error)).toBe('AccessDenied: Access Denied (HTTP 403)');
  });

  it('is the name alone when the message says nothing more', () => {
    const error = Object.assign(new Error('NoSuchBucket'), { name: 'NoSuchBucket', $metadata: {} });
    expect(errorSummary(error)).toBe('NoSuchBucket');
    expect(errorSummary(new Error(''))).toBe('Error');
  });

  it('is the first line of anything else thrown', () => {
    expect(errorSummary('refused\nmore')).toBe('refused');
    expect(errorSummary(undefined)).toBe('undefined');
  });
});

describe('what an error says', () => {
  it('is its message when it has one', () => {
    expect(describeError(new Error('connection refused'))).toBe('connection refused');
  });

  it('is what an AggregateError wraps, with its code, when it has no message', () => {
    const refused = Object.assign(
      new AggregateError([new Error('connect ECONNREFUSED ::1:5432'), new Error('')]),
      {
        code: 'ECONNREFUSED',
      },
    );
    expect(describeError(refused)).toBe(
      'AggregateError, which carries no message (ECONNREFUSED; connect ECONNREFUSED ::1:5432; Error)',
    );
  });

  it('names the kind of a value that is not an Error', () => {
    expect(describeError(undefined)).toBe('undefined, which carries no message');
    expect(describeError(null)).toBe('null, which carries no message');
    expect(describeError(42)).toBe('a number (42), which carries no message');
    expect(describeError('boom')).toBe('a string (boom), which carries no message');
    expect(describeError({ reason: 'gone' })).toBe('an object ({"reason":"gone"}), which carries no message');
    expect(describeError({ code: 'E42' })).toMatch(/, which carries no message \(E42\)$/);
  });

  it('falls back to the constructor or Error for an error without a name', () => {
    class Nameless extends Error {}
    const nameless = new Nameless('');
    nameless.name = '';
    expect(describeError(nameless)).toBe('Nameless, which carries no message');
  });
});

describe('the message a failure is reported with', () => {
  it('is the message of an error that has one', () => {
    expect(failureMessage(new Error('totesys: password authentication failed'), 'sync')).toBe(
      'totesys: password authentication failed',
    );
  });

  it('names the command when the error says nothing', () => {
    expect(failureMessage(new Error('  '), 'verify')).toBe(
      '`totes verify` failed: Error, which carries no message',
    );
    expect(failureMessage(undefined, 'seed')).toBe(
      '`totes seed` failed: undefined, which carries no message',
    );
  });
});
