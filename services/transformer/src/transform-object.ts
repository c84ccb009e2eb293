import type { TargetTableName } from '@totes/pipeline';
import { rebuildDimension } from './rebuild-dimension';
import { type RebuildTarget, type RowsTarget, tableTransforms } from './table-transforms';
import { TransformError } from './transform-error';
import type { TransformOutcome } from './transform-outcome';
import { transformRowsObject } from './transform-rows-object';
import type { TransformStores } from './transform-stores';

/** What {@link transformObject} is asked to do: handle one new ingest object for one table. */
export interface TransformRequest {
  readonly target: TargetTableName;
  readonly key: string;
  readonly generation: number;
  readonly rowGroupRows?: number;
}

/**
 * Handles one new ingest object for one warehouse table.
 *
 * A change object is mapped row by row, a snapshot rebuilds the dimension from the latest snapshots
 * of its inputs.
 */
export function transformObject(
  stores: TransformStores,
  request: TransformRequest,
): Promise<TransformOutcome> {
  const { target, key, generation } = request;
  const kind = tableTransforms[target].kind;
  if (kind === 'rows') {
    return transformRowsObject(stores, {
      target: target as RowsTarget,
      key,
      generation,
      ...(request.rowGroupRows === undefined ? {} : { rowGroupRows: request.rowGroupRows }),
    });
  }
  if (kind === 'rebuild')
    return rebuildDimension(stores, { target: target as RebuildTarget, trigger: key, generation });
  return Promise.reject(
    new TransformError(`${target} is generated from the calendar, not from ingest objects such as ${key}`, {
      retryable: false,
    }),
  );
}
