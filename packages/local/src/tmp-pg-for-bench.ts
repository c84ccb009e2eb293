import { startEmbeddedPostgres } from './embedded-postgres-server';

const server = await startEmbeddedPostgres({ dataDir: '/tmp/sim-bench-pg', persistent: false });
console.log(server.url());
await server.ensureDatabase('bench1');
process.on('SIGTERM', async () => {
  await server.stop();
  process.exit(0);
});
setInterval(() => {}, 1 << 30);
