import { describe, expect, it } from 'vitest';
import { type LogEntry, logEntryMatches, parseLogEntry } from '../src/stack/log-entry';

const entry = (fields: Partial<LogEntry> & Record<string, unknown>): LogEntry => ({
  timestamp: '2024-11-04T09:15:00.000Z',
  level: 'INFO',
  service: 'load-dim_staff',
  ...fields,
});

describe('a line of the local log', () => {
  it('is read when it has a timestamp, level and service', () => {
    const line = JSON.stringify(entry({ message: 'loaded', rows: 3 }));
    expect(parseLogEntry(line)).toEqual(entry({ message: 'loaded', rows: 3 }));
  });

  it.each([
    ['a line cut short by a crash', '{"timestamp":"2024-11-04T09:15:00.000Z","lev'],
    ['a blank', ''],
    ['JSON that is not an object', '42'],
    ['null', 'null'],
    ['an object without a service', '{"timestamp":"t","level":"INFO"}'],
    ['a level that is not text', '{"timestamp":"t","level":3,"service":"s"}'],
  ])('is nothing for %s', (_, line) => {
    expect(parseLogEntry(line)).toBeUndefined();
  });
});

describe('the filter of totes logs', () => {
  it('keeps everything when it asks for nothing', () => {
    expect(logEntryMatches(entry({ level: 'DEBUG' }), {})).toBe(true);
  });

  it('keeps a level and those above it, metrics ranking with info', () => {
    expect(logEntryMatches(entry({ level: 'WARN' }), { level: 'WARN' })).toBe(true);
    expect(logEntryMatches(entry({ level: 'ERROR' }), { level: 'WARN' })).toBe(true);
    expect(logEntryMatches(entry({ level: 'INFO' }), { level: 'WARN' })).toBe(false);
    expect(logEntryMatches(entry({ level: 'METRIC' }), { level: 'INFO' })).toBe(true);
    expect(logEntryMatches(entry({ level: 'DEBUG' }), { level: 'INFO' })).toBe(false);
  });

  it('ranks a level it does not know as an error, so it is never hidden', () => {
    expect(logEntryMatches(entry({ level: 'FATAL' }), { level: 'ERROR' })).toBe(true);
  });

  it('keeps the functions of a stage by their service name', () => {
    expect(logEntryMatches(entry({ service: 'load-dim_staff' }), { stage: 'load' })).toBe(true);
    expect(logEntryMatches(entry({ service: 'transform-dim_staff' }), { stage: 'load' })).toBe(false);
  });

  it('keeps the entries of a table: its functions, and other services naming it', () => {
    expect(logEntryMatches(entry({ service: 'extract-staff' }), { table: 'staff' })).toBe(true);
    expect(logEntryMatches(entry({ service: 'extract-sales_order' }), { table: 'staff' })).toBe(false);
    expect(logEntryMatches(entry({ service: 'scheduler', table: 'staff' }), { table: 'staff' })).toBe(true);
    expect(
      logEntryMatches(entry({ service: 'reconciler', target: 'dim_staff' }), { table: 'dim_staff' }),
    ).toBe(true);
    expect(logEntryMatches(entry({ service: 'scheduler' }), { table: 'staff' })).toBe(false);
  });

  it('needs every condition it asks for', () => {
    const warning = entry({ level: 'WARN', service: 'load-fact_payment' });
    expect(logEntryMatches(warning, { level: 'WARN', stage: 'load', table: 'fact_payment' })).toBe(true);
    expect(logEntryMatches(warning, { level: 'ERROR', stage: 'load', table: 'fact_payment' })).toBe(false);
  });
});
