import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { awsOption } from '../src/aws-option';
import { CliError, UsageError } from '../src/cli-error';
import { dataDirOf } from '../src/data-dir';
import { databaseUrls, stackOptions } from '../src/database-options';
import { integerOption } from '../src/options';
import { checkPostgresUrl, postgresUrlParser } from '../src/postgres-url';
import { checkTableName, tableParser } from '../src/table-option';

/** A command that throws instead of exiting and prints nothing, to parse option values with. */
function quietCommand(): Command {
  return new Command('probe')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
}

describe('a PostgreSQL connection string', () => {
  it('is accepted as postgresql:// or postgres://, unchanged', () => {
    expect(checkPostgresUrl('postgresql://u:p@h:5432/db', 'TOTESYS_URL')).toBe('postgresql://u:p@h:5432/db');
    expect(checkPostgresUrl('postgres://h/db', 'TOTESYS_URL')).toBe('postgres://h/db');
  });

  it('is refused in any other form, naming where it came from and never repeating it', () => {
    const refuse = () => checkPostgresUrl('mysql://root:s3cret@h/db', '--warehouse-url');
    expect(refuse).toThrow(UsageError);
    expect(refuse).toThrow(
      /^--warehouse-url is not a PostgreSQL connection string: expected postgresql:\/\//,
    );
    expect(refuse).not.toThrow(/s3cret/);
  });

  it('explains that a keyword/value string is not read', () => {
    expect(() => checkPostgresUrl('host=db dbname=totesys', 'TOTESYS_URL')).toThrow(
      /a keyword\/value string such as "host=… dbname=…" is not read/,
    );
    expect(() => checkPostgresUrl('base', 'TOTESYS_URL')).not.toThrow(/keyword/);
  });

  it('is a usage error, exit code 2', () => {
    const error = (() => {
      try {
        postgresUrlParser('--totesys-url')('nope');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    expect((error as UsageError).details).toEqual({});
  });
});

describe('a whole-number option', () => {
  it.each([
    ['1', 1],
    ['20', 20],
    ['007', 7],
  ])('reads %s as %d', (text, value) => {
    expect(integerOption(text)).toBe(value);
  });

  it.each(['0', '-3', '2.5', '1e3', 'ten', '', '99999999999999999999'])('refuses %j', (text) => {
    expect(() => integerOption(text)).toThrow('expected a whole number of at least 1');
  });
});

describe('the data directory', () => {
  it('is --data-dir first, then TOTES_DATA_DIR, then .totes here, always absolute', () => {
    expect(dataDirOf('given', { TOTES_DATA_DIR: '/from/env' })).toBe(resolve('given'));
    expect(dataDirOf(undefined, { TOTES_DATA_DIR: '/from/env' })).toBe('/from/env');
    expect(dataDirOf(undefined, {})).toBe(resolve('.totes'));
  });
});

describe('the database URLs of a command', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('are the flags first, then TOTESYS_URL and WAREHOUSE_URL', () => {
    vi.stubEnv('TOTESYS_URL', 'postgresql://env/totesys');
    vi.stubEnv('WAREHOUSE_URL', 'postgresql://env/warehouse');
    expect(databaseUrls({ totesysUrl: 'postgresql://flag/totesys' })).toEqual({
      totesysUrl: 'postgresql://flag/totesys',
      warehouseUrl: 'postgresql://env/warehouse',
    });
  });

  it('leave out what is given nowhere, or given empty', () => {
    vi.stubEnv('TOTESYS_URL', '');
    vi.stubEnv('WAREHOUSE_URL', '');
    expect(databaseUrls({})).toEqual({});
  });

  it('check a URL from the environment, naming the variable', () => {
    vi.stubEnv('WAREHOUSE_URL', 'dw-host');
    expect(() => databaseUrls({})).toThrow(/^WAREHOUSE_URL is not a PostgreSQL connection string/);
  });

  it('are checked as flags when the command line is parsed', async () => {
    const command = stackOptions(quietCommand()).action(() => undefined);
    await command.parseAsync(['--totesys-url', 'postgresql://h/t', '--json', '--data-dir', 'd'], {
      from: 'user',
    });
    expect(command.opts()).toEqual({ totesysUrl: 'postgresql://h/t', json: true, dataDir: 'd' });
    await expect(
      stackOptions(quietCommand()).parseAsync(['--warehouse-url', 'host=h'], { from: 'user' }),
    ).rejects.toThrow(/^--warehouse-url is not a PostgreSQL connection string/);
  });
});

describe('--aws <environment>', () => {
  it('takes the name of an environment', async () => {
    const command = awsOption(quietCommand()).action(() => undefined);
    await command.parseAsync(['--aws', 'prod'], { from: 'user' });
    expect(command.opts()).toEqual({ aws: 'prod' });
  });

  it('refuses a name no deployment can have, with the reason', async () => {
    const command = awsOption(quietCommand()).action(() => undefined);
    const parsed = command.parseAsync(['--aws', 'Not A Name!'], { from: 'user' });
    await expect(parsed).rejects.toBeInstanceOf(CommanderError);
    await expect(parsed).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });

  it('cannot be combined with the options of a local stack', async () => {
    const command = awsOption(stackOptions(quietCommand())).action(() => undefined);
    await expect(
      command.parseAsync(['--aws', 'prod', '--data-dir', 'somewhere'], { from: 'user' }),
    ).rejects.toMatchObject({ code: 'commander.conflictingOption' });
  });
});

describe('a table named on the command line', () => {
  it('is returned as given when it is one of its kind', () => {
    expect(checkTableName('dim_staff', 'warehouse', '--table')).toBe('dim_staff');
    expect(checkTableName('sales_order', 'source or warehouse', '<table>')).toBe('sales_order');
  });

  it('is a usage error listing every valid name, and suggesting the nearest', () => {
    let error: unknown;
    try {
      tableParser('warehouse', '--table')('dim_staf');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    const usage = error as UsageError;
    expect(usage.message).toMatch(
      /^--table: "dim_staf" is not a warehouse table \(did you mean dim_staff\?\); the tables are /,
    );
    expect(usage.details).toMatchObject({ suggestion: 'dim_staff' });
    expect(usage.details.tables).toContain('fact_sales_order');
    expect(usage.details.tables).not.toContain('sales_order');
  });

  it('suggests nothing when no name is near', () => {
    let error: UsageError | undefined;
    try {
      checkTableName('zzzzzzzz', 'source or warehouse', '<table>');
    } catch (caught) {
      error = caught as UsageError;
    }
    expect(error?.message).not.toContain('did you mean');
    expect(error?.details).not.toHaveProperty('suggestion');
    expect(error?.details.tables).toContain('sales_order');
  });
});
