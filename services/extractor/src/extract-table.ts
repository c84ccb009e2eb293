import { type ExtractRequest, isReferenceTable } from '@totes/pipeline';
import { extractChanges } from './extract-changes';
import type { ExtractContext, ExtractOutcome } from './extract-context';
import { extractFull } from './extract-full';
import { extractSnapshot } from './extract-snapshot';
import { extractSweep } from './extract-sweep';

/**
 * Carries out one extract request. A reference table is always extracted as a snapshot when its
 * content changed (a `sweep` is the same check; a `full` request forces one snapshot per run); an
 * event table by watermark (`incremental`), by key (`full`) or by bucket hashes (`sweep`).
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
