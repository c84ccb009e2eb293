import { type Continuation, createExtractHandler } from '@totes/extractor';
import { compactTimestampOf, extractorDefaults, sourceTableNames } from '@totes/pipeline';
import { createAwsClients, s3ObjectStore } from '@totes/runtime';
import { cachedConnectionString } from '@totes/runtime/database';
import { peakRssMb } from './bench-report';
import type { ChildResult } from './verify-side';

// The full-extraction side of `pnpm bench verify`, in a module of its own (see verify-side.ts).

/** Child: a full extraction of every source table into `bucket` of the emulator, continuations followed. */
export async function extractChild(totesysUrl: string, bucket: string): Promise<ChildResult> {
  const started = performance.now();
  let rows = 0;
  const requestedAt = new Date();
  await Promise.all(
    sourceTableNames.map(async (table) => {
      const pending: unknown[] = [
        { mode: 'full', table, run: compactTimestampOf(requestedAt), requestedAt: requestedAt.toISOString() },
      ];
      // The S3 client each function makes, the endpoint from `AWS_ENDPOINT_URL` (set by the parent).
      const { s3 } = createAwsClients({ forcePathStyle: true });
      const handler = createExtractHandler(
        { ...extractorDefaults, table },
        {
          totesys: cachedConnectionString(async () => totesysUrl),
          store: s3ObjectStore(s3, bucket),
          queue: { send: async (continuation: Continuation) => void pending.push(continuation.request) },
          logger: {
            info: (_: string, fields: Record<string, unknown>) => {
              rows += Number(fields.rows ?? 0) || 0;
            },
            warn() {},
            debug() {},
            error: (message: string, fields: unknown) =>
              process.stderr.write(`${message} ${JSON.stringify(fields)}\n`),
          } as never,
          metrics: { add() {}, flush() {} },
        },
      );
      for (let request = pending.shift(); request; request = pending.shift()) {
        const body = JSON.stringify(request);
        const response = await handler({ Records: [{ messageId: '1', body } as never] }, {} as never);
        if (response.batchItemFailures.length > 0) throw new Error(`the extraction of ${table} failed`);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, rows, peakRssMb: peakRssMb() };
}
