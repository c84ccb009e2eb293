import { MalformedObjectError, PipelineError } from '@totes/pipeline';
import { WarehouseError } from './warehouse-error';

// SQLSTATEs that mean the object's content can never load: data exceptions (class 22), NOT NULL
// and CHECK violations, and one natural key twice in an object (21000).
const badContent = /^(22|23502|23514|21000)/;

/**
 * The named error for a failure while loading an object.
 *
 * The pipeline's own errors as they are, rows the warehouse refuses as a
 * {@link MalformedObjectError} (retrying cannot help), anything else from the warehouse as a
 * retryable {@link WarehouseError}.
 */
export function loadFailure(error: unknown, table: string, key: string): Error {
  if (error instanceof PipelineError) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && badContent.test(code)) {
    const where = (error as { where?: unknown }).where;
    return new MalformedObjectError(
      key,
      undefined,
      `the warehouse refused its rows: ${(error as Error).message}${typeof where === 'string' ? ` (${where})` : ''}`,
      { cause: error },
    );
  }
  return new WarehouseError(table, key, error);
}
