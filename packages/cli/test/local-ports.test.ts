import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { configuredLocalPorts, defaultLocalPorts, resolveLocalPorts } from '../src/local-ports';
import { runTotes } from './run-totes';

describe('the local stack’s ports', () => {
  it('are the documented defaults when nothing is set', () => {
    expect(configuredLocalPorts({})).toEqual({
      postgres: { port: 25432, configured: false },
      aws: { port: 24566, configured: false },
      s3: { port: 24567, configured: false },
    });
    expect(defaultLocalPorts).toEqual({ postgres: 25432, aws: 24566, s3: 24567 });
  });

  it('are read from TOTES_POSTGRES_PORT, TOTES_AWS_PORT and TOTES_S3_PORT', () => {
    const ports = configuredLocalPorts({
      TOTES_POSTGRES_PORT: '6543',
      TOTES_AWS_PORT: '0',
      TOTES_S3_PORT: '7000',
    });
    expect(ports.postgres).toEqual({ port: 6543, configured: true });
    expect(ports.aws).toEqual({ port: 0, configured: true });
    expect(ports.s3).toEqual({ port: 7000, configured: true });
  });

  it('fail a configured port that is taken, naming its variable', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      await expect(
        resolveLocalPorts(() => {}, {
          TOTES_POSTGRES_PORT: String(port),
          TOTES_AWS_PORT: '0',
          TOTES_S3_PORT: '0',
        }),
      ).rejects.toThrow(new RegExp(`port ${port} \\(TOTES_POSTGRES_PORT\\) for PostgreSQL.* is in use`));
    } finally {
      server.close();
    }
  });

  it('give way to any free port when a default one is taken, and say so', async () => {
    const server = createServer();
    const taken = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(defaultLocalPorts.s3, '127.0.0.1', () => resolve(true));
    });
    const said: string[] = [];
    try {
      const ports = await resolveLocalPorts((line) => said.push(line), {
        TOTES_POSTGRES_PORT: '0',
        TOTES_AWS_PORT: '0',
      });
      // Taken by this test, or already by something else on the machine: either way it gives way.
      expect(ports.s3).toBe(0);
      expect(said.join('\n')).toMatch(/port 24567, the default for the S3 notification proxy, is in use/);
    } finally {
      if (taken) server.close();
    }
  });

  it('reject a variable that is not a port as a usage error', async () => {
    const run = await runTotes(['status', '--data-dir', '/nonexistent/totes-ports', '--json'], {
      TOTES_POSTGRES_PORT: 'high',
    });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      usage: true,
      error: 'TOTES_POSTGRES_PORT must be a port number from 1 to 65535, or 0 for any free port',
    });
  });
});
