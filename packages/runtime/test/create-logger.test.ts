import { describe, expect, it, vi } from 'vitest';
import { createLogger, logLevelOf, redactUrl } from '../src/index';

describe('logLevelOf', () => {
  it('logs debug lines only when LOG_LEVEL asks for them, in any case', () => {
    expect(logLevelOf({ LOG_LEVEL: 'debug' })).toBe('DEBUG');
    expect(logLevelOf({ LOG_LEVEL: 'DEBUG' })).toBe('DEBUG');
    expect(logLevelOf({ LOG_LEVEL: 'warn' })).toBe('INFO');
    expect(logLevelOf({})).toBe('INFO');
  });
});

describe('createLogger', () => {
  it('writes one JSON object per line, naming its service, and leaves debug lines out by default', () => {
    const written: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      const logger = createLogger('load-fact_payment');
      logger.debug('routine');
      logger.info('object loaded', { key: 'k' });
    } finally {
      write.mockRestore();
    }
    const lines = written
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'object loaded',
        service: 'load-fact_payment',
        key: 'k',
      }),
    ]);
  });
});

describe('redactUrl', () => {
  it('hides a password and keeps the rest', () => {
    expect(redactUrl('postgresql://reader:s3cret@db:5432/totesys')).toBe(
      'postgresql://reader:***@db:5432/totesys',
    );
    expect(redactUrl('postgresql://db:5432/totesys')).toBe('postgresql://db:5432/totesys');
  });

  it('never repeats what it cannot parse', () => {
    expect(redactUrl('not a url with s3cret')).toBe('(unparseable URL)');
  });
});
