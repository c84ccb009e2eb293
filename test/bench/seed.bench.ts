import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { startEmbeddedPostgres } from '@totes/local';
import { readDdl, totesysTables } from '@totes/schema';
import { seedTotesys } from '@totes/totesys-sim';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { benchReport } from './bench-report';

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/**
 * Seeds totesys at `--scale N` (default 10) and, as the baseline in the same run, moves the
 * same rows from that database into an empty copy of the schema with binary COPY (the floor for
 * moving rows between databases), foreign-key checks off as the seed's are during its load.
 */
export default async function seedBench(args: string[]): Promise<void> {
  const scale = Number(args[args.indexOf('--scale') + 1] ?? 10) || 10;
  const dir = await mkdtemp(join(tmpdir(), 'totes-bench-'));
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), persistent: false });
  try {
    await server.ensureDatabase('seeded');
    await server.ensureDatabase('copied');
    process.stderr.write(`seeding scale factor ${scale}…\n`);
    const seeded = await seedTotesys(server.url('seeded'), { scale, seed: 1 });
    const rows = Object.values(seeded.tables).reduce((sum, n) => sum + n, 0);

    const source = await connect(server.url('seeded'));
    const target = await connect(server.url('copied'));
    try {
      await target.query(await readDdl('totesys'));
      process.stderr.write('baseline: binary COPY of the same rows into an empty schema…\n');
      const started = performance.now();
      await target.query('BEGIN');
      await target.query('SET LOCAL session_replication_role = replica');
      for (const table of Object.keys(totesysTables)) {
        const name = pg.escapeIdentifier(table);
        await pipeline(
          source.query(copyTo(`COPY ${name} TO STDOUT (FORMAT binary)`)),
          target.query(copyFrom(`COPY ${name} FROM STDIN (FORMAT binary)`)),
        );
      }
      await target.query('COMMIT');
      const baselineSeconds = (performance.now() - started) / 1000;
      process.stdout.write(
        `${JSON.stringify(
          benchReport({
            name: 'seed',
            rows,
            seconds: seeded.seconds,
            baseline: 'COPY … TO STDOUT | COPY … FROM STDIN (binary, database to database)',
            baselineSeconds,
            extra: { scale, tables: seeded.tables },
          }),
        )}\n`,
      );
    } finally {
      await source.end();
      await target.end();
    }
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
