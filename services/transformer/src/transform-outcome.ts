import type { QuarantinedRow, SourceTableName, TargetTableName } from '@totes/pipeline';

/**
 * What handling one input object did.
 *
 * - `written`: a new processed object, and the input rows it quarantined (left out);
 * - `exists`: the object this input maps to is already there (a repeated or late event), so
 *   nothing was written;
 * - `waiting`: a dimension cannot be built until every input has a snapshot; the missing
 *   snapshot's own event will build it.
 */
export type TransformOutcome =
  | {
      readonly status: 'written';
      readonly target: TargetTableName;
      readonly inputKeys: readonly string[];
      readonly outputKey: string;
      readonly rowsIn: number;
      readonly rowsOut: number;
      readonly rowsQuarantined: number;
      /** The quarantined rows the object describes (at most `quarantineDetailLimit`). */
      readonly quarantined?: readonly QuarantinedRow[];
    }
  | {
      readonly status: 'exists';
      readonly target: TargetTableName;
      readonly inputKeys: readonly string[];
      readonly outputKey: string;
    }
  | {
      readonly status: 'waiting';
      readonly target: TargetTableName;
      readonly inputKeys: readonly string[];
      readonly missing: readonly SourceTableName[];
    };
