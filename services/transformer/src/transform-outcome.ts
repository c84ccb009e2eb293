import type { SourceTableName, TargetTableName } from '@totes/pipeline';

/**
 * What handling one input object did:
 * - `written`: a new processed object;
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
