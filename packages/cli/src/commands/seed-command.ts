import { seedTotesys } from '@totes/totesys-sim';
import type { Command } from 'commander';
import { dataDirOf } from '../data-dir';
import { withLocalPostgres } from '../local-postgres';
import { integerOption } from '../options';
import { createOutput, formatTable } from '../output';

interface SeedOptions {
  readonly scale: number;
  readonly seed: number;
  readonly url?: string;
  readonly dataDir?: string;
  readonly json?: boolean;
}

/** `totes seed`: fills an empty totesys with synthetic data. */
export function seedCommand(program: Command): void {
  program
    .command('seed')
    .description('fill an empty totesys database with synthetic data that behaves like the real one')
    .option('--scale <n>', 'scale factor: 1 is the late-2024 size (about 11k sales orders)', integerOption, 1)
    .option('--seed <s>', 'random seed: the same seed gives the same data', integerOption, 1)
    .option(
      '--url <postgres-url>',
      'the totesys database to fill (default: TOTESYS_URL, else the local stack)',
    )
    .option('--data-dir <dir>', 'the local stack directory (default: TOTES_DATA_DIR or .totes)')
    .option('--json', 'print the result as JSON')
    .action(async (options: SeedOptions) => {
      const output = createOutput(options.json === true);
      const url = options.url ?? process.env.TOTESYS_URL;
      const seed = async (target: string) => {
        output.say(`Seeding totesys at scale factor ${options.scale} (seed ${options.seed})…`);
        return await seedTotesys(target, {
          scale: options.scale,
          seed: options.seed,
          onProgress: (table, rows) =>
            output.progress(`  loading ${table}: ${rows.toLocaleString('en-GB')} rows`),
        });
      };
      const result = url
        ? await seed(url)
        : await withLocalPostgres(
            dataDirOf(options.dataDir),
            'seed',
            (line) => output.warn(line),
            (server) => seed(server.url('totesys')),
          );
      const rows = Object.entries(result.tables).map(([table, count]) => [table, count] as const);
      const total = rows.reduce((sum, [, count]) => sum + count, 0);
      output.say(formatTable(['table', 'rows'], [...rows, ['total', total]]));
      output.say(`Loaded ${total.toLocaleString('en-GB')} rows in ${result.seconds.toFixed(1)} s.`);
      output.result({
        scale: options.scale,
        seed: options.seed,
        tables: result.tables,
        rows: total,
        seconds: result.seconds,
      });
    });
}
