import { ExtractRequest, type SourceTableName } from '@totes/pipeline';
import { z } from 'zod';
import { ExtractError } from './extract-error';

/**
 * Reads an extract request from a message body meant for the extractor of `table`.
 *
 * A body that is not a request, or a request for another table, can never succeed: the error says
 * so and is not retryable.
 */
export function parseExtractRequest(body: string, table: SourceTableName): ExtractRequest {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch (error) {
    throw new ExtractError(table, `the message body is not JSON (${(error as Error).message})`, {
      cause: error,
      retryable: false,
    });
  }
  const request = ExtractRequest.safeParse(message);
  if (!request.success) {
    throw new ExtractError(
      table,
      `the message is not an extract request: ${z.prettifyError(request.error).replace(/\n/g, '; ')}`,
      { retryable: false },
    );
  }
  if (request.data.table !== table) {
    throw new ExtractError(
      table,
      `this function extracts ${table}, but the request is for ${request.data.table}: it was sent to the wrong queue`,
      { retryable: false },
    );
  }
  return request.data;
}
