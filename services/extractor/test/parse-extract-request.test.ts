import { describe, expect, it } from 'vitest';
import { ExtractError } from '../src/extract-error';
import { parseExtractRequest } from '../src/parse-extract-request';

describe('parseExtractRequest', () => {
  it('reads a request for its own table', () => {
    expect(
      parseExtractRequest('{"mode":"sweep","table":"payment","run":"20241104T091502345"}', 'payment'),
    ).toEqual({
      mode: 'sweep',
      table: 'payment',
      run: '20241104T091502345',
    });
  });

  it.each([
    ['a body that is not JSON', 'not json', /not JSON/],
    ['an unknown mode', '{"mode":"everything","table":"payment"}', /not an extract request/],
    [
      'a table outside the topology',
      '{"mode":"incremental","table":"_prisma_migrations"}',
      /not an extract request/,
    ],
    ['another table', '{"mode":"incremental","table":"sales_order"}', /wrong queue/],
  ])('refuses %s for good', (_, body, message) => {
    const parse = () => parseExtractRequest(body, 'payment');

    expect(parse).toThrow(message);
    try {
      parse();
    } catch (error) {
      expect(error).toBeInstanceOf(ExtractError);
      expect((error as ExtractError).retryable).toBe(false);
      expect((error as ExtractError).table).toBe('payment');
    }
  });
});
