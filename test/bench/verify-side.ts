import { S3Client } from '@aws-sdk/client-s3';
import { findUnconsumedObjects, resourceNames, warehouseTableNames } from '@totes/pipeline';
// The adapters alone: the runtime's index would load every AWS client and the Lambda tooling.
import { postgresLedgerQuery } from '@totes/runtime/postgres-ledger-query';
import { s3ObjectListing } from '@totes/runtime/s3-object-listing';
import pg from 'pg';
import { differs } from '../../packages/cli/src/verify/table-difference';
import { verifyData } from '../../packages/cli/src/verify/verify-data';
import { peakRssMb } from './bench-report';

// The verify side of `pnpm bench verify`, in a module of its own: its process loads what verify
// loads and nothing the benchmark's other side or its set-up needs, so its peak RSS is verify's.

/** What one side's process measured. */
export interface ChildResult {
  readonly seconds: number;
  readonly rows: number;
  readonly peakRssMb: number;
  readonly clean?: boolean;
}

const local = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Child: verify, as `totes verify` runs it, minus the CLI's start-up. */
export async function verifyChild(
  totesysUrl: string,
  warehouseUrl: string,
  awsEndpoint: string,
): Promise<ChildResult> {
  const names = resourceNames('local');
  const s3 = new S3Client({
    endpoint: awsEndpoint,
    region: 'eu-west-2',
    forcePathStyle: true,
    credentials: local,
  });
  const client = new pg.Client({ connectionString: warehouseUrl });
  await client.connect();
  const started = performance.now();
  const [unconsumed, tables] = await Promise.all([
    findUnconsumedObjects(
      { listing: s3ObjectListing(s3), ledger: postgresLedgerQuery(client) },
      { ingestBucket: names.ingestBucket, processedBucket: names.processedBucket, graceSeconds: 0 },
    ),
    verifyData({ totesysUrl, warehouseUrl }, warehouseTableNames),
  ]);
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  s3.destroy();
  const clean = unconsumed.transform.length + unconsumed.load.length === 0 && !tables.some(differs);
  if (!clean) process.stderr.write(`${JSON.stringify({ unconsumed, tables: tables.filter(differs) })}\n`);
  const rows = tables.reduce((sum, table) => sum + table.expectedRows + table.warehouseRows, 0);
  return { seconds, rows, peakRssMb: peakRssMb(), clean };
}
