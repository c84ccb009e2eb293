import type { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import {
  cachedConnectionString,
  connectionStringFromSecret,
  connectionStringFromSecretArn,
  databaseConnectionString,
} from '../src/database';

describe('connectionStringFromSecret', () => {
  it('builds a connection string from a database secret, encoding each part', () => {
    const secret = JSON.stringify({
      host: 'db.internal',
      port: 5433,
      username: 'reader',
      password: 'p@ss/w:rd',
      dbname: 'totesys',
    });

    expect(connectionStringFromSecret(secret)).toBe(
      'postgresql://reader:p%40ss%2Fw%3Ard@db.internal:5433/totesys',
    );
  });

  it('never repeats the secret when it is malformed', () => {
    const secret = JSON.stringify({ host: 'db', username: 'reader', password: 'hunter2' });

    expect(() => connectionStringFromSecret(secret)).toThrow(/dbname/);
    expect(() => connectionStringFromSecret(secret)).not.toThrow(/hunter2/);
    expect(() => connectionStringFromSecret('hunter2')).toThrow('the database secret is not JSON');
  });
});

// Secrets Manager is the one AWS service the local emulator does not speak: a client stand-in
// that answers GetSecretValue is the only way to run this here.
function secretsClient(answers: (string | undefined)[]) {
  const asked: string[] = [];
  return {
    asked,
    send: async (command: GetSecretValueCommand) => {
      asked.push(command.input.SecretId ?? '');
      return { SecretString: answers.shift() };
    },
  };
}

describe('connectionStringFromSecretArn', () => {
  const arn = 'arn:aws:secretsmanager:eu-west-2:1:secret:warehouse';

  it('reads the secret by its ARN and builds the connection string', async () => {
    const client = secretsClient([
      JSON.stringify({ host: 'dw', username: 'loader', password: 'pw', dbname: 'warehouse' }),
    ]);
    expect(await connectionStringFromSecretArn(arn, client as never)).toBe(
      'postgresql://loader:pw@dw:5432/warehouse',
    );
    expect(client.asked).toEqual([arn]);
  });

  it('names the secret, never its value, when it is empty or malformed', async () => {
    await expect(connectionStringFromSecretArn(arn, secretsClient([undefined]) as never)).rejects.toThrow(
      `the secret ${arn} has no string value`,
    );
    const malformed = connectionStringFromSecretArn(
      arn,
      secretsClient([JSON.stringify({ host: 'dw', password: 'hunter2' })]) as never,
    );
    await expect(malformed).rejects.toThrow(`the secret ${arn}: the database secret lacks valid fields`);
    await expect(
      connectionStringFromSecretArn(arn, secretsClient([JSON.stringify({ password: 'hunter2' })]) as never),
    ).rejects.not.toThrow(/hunter2/);
  });
});

describe('cachedConnectionString', () => {
  it('fetches once while it works, again after a failed fetch or when told to forget', async () => {
    let fetches = 0;
    const failFirst = cachedConnectionString(async () => {
      fetches += 1;
      if (fetches === 1) throw new Error('throttled');
      return `postgresql://u:p${fetches}@h/db`;
    });

    await expect(failFirst.get()).rejects.toThrow('throttled');
    expect(await failFirst.get()).toBe('postgresql://u:p2@h/db');
    expect(await failFirst.get()).toBe('postgresql://u:p2@h/db');
    expect(fetches).toBe(2);
    failFirst.forget();
    expect(await failFirst.get()).toBe('postgresql://u:p3@h/db');
    expect(fetches).toBe(3);
  });
});

describe('databaseConnectionString', () => {
  it('uses a connection string as it is, never reading a secret', async () => {
    const read: string[] = [];
    const url = 'postgresql://u:p@h:5432/warehouse';
    const cached = databaseConnectionString({ url }, async (arn) => {
      read.push(arn);
      return 'unused';
    });
    expect(await cached.get()).toBe(url);
    expect(read).toEqual([]);
  });

  it('reads a secret at the first use and again once forgotten', async () => {
    const read: string[] = [];
    const cached = databaseConnectionString({ secretArn: 'arn:secret' }, async (arn) => {
      read.push(arn);
      return `postgresql://from/${read.length}`;
    });
    expect(await cached.get()).toBe('postgresql://from/1');
    expect(await cached.get()).toBe('postgresql://from/1');
    cached.forget();
    expect(await cached.get()).toBe('postgresql://from/2');
    expect(read).toEqual(['arn:secret', 'arn:secret']);
  });

  it('refuses a configuration that gives neither', () => {
    expect(() => databaseConnectionString({})).toThrow(ConfigError);
  });
});
