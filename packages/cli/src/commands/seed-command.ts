import { seedTotesys } from '@totes/totesys-sim';
import { type Command, Option } from 'commander';
import { dataDirOf } from '../data-dir';
import { withLocalPostgres } from '../local-postgres';
import { integerOption } from '../options';
import { createOutput, formatTable } from '../output';
import { checkPostgresUrl, postgresUrlParser } from '../postgres-url';
import { checkDatabase } from '../stack/check-databases';

interface SeedOptions {
  readonly scale: number;
  readonly seed: number;
  readonly totesysUrl?: string;
  /** The old name of `--totesys-url`, still read. */
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
      '--totesys-url <url>',
      'the totesys database to fill (default: TOTESYS_URL, else the local stack)',
      postgresUrlParser('--totesys-url'),
    )
    .addOption(new Option('--url <url>').argParser(postgresUrlParser('--url')).hideHelp())
    .option('--data-dir <dir>', 'the local stack directory (default: TOTES_DATA_DIR or .totes)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ totes seed                                          # the local stack's totesys, in .totes
  $ totes seed --scale 5 --seed 42
  $ totes seed --totesys-url postgresql://me@localhost:5432/totesys --json`,
    )
    .action(async (options: SeedOptions) => {
      const output = createOutput(options.json === true);
      const { TOTESYS_URL } = process.env;
      const url =
        options.totesysUrl ?? options.url ?? (TOTESYS_URL && checkPostgresUrl(TOTESYS_URL, 'TOTESYS_URL'));
      const seed = async (target: string) => {
        // A wrong host or password is named as such, not left to the first COPY.
        await checkDatabase('totesys', target, false, url === undefined);
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
