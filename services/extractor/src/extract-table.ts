import { type ExtractRequest, isReferenceTable } from '@totes/pipeline';
import type { ExtractContext, ExtractOutcome } from './extract-context';
import { extractChanges } from './modes/extract-changes';
import { extractFull } from './modes/extract-full';
import { extractSnapshot } from './modes/extract-snapshot';
import { extractSweep } from './modes/extract-sweep';

/**
 * Carries out one extract request.
 *
 * A reference table is always extracted as a snapshot when its content changed (a `sweep` is the
 * same check; a `full` request forces one snapshot per run); an event table by watermark
 * (`incremental`), by key (`full`) or by bucket hashes (`sweep`).
 */
export function extractTable(request: ExtractRequest, context: ExtractContext): Promise<ExtractOutcome> {
  const { table } = request;
  if (isReferenceTable(table)) {
    return extractSnapshot(context, table, request.mode === 'full' ? { run: request.run } : undefined);
  }
  switch (request.mode) {
    case 'incremental':
      return extractChanges(context, table);
    case 'full':
      return extractFull(context, table, request);
    case 'sweep':
      return extractSweep(context, table, request);
  }
}
