import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@totes/test-harness': fileURLToPath(new URL('./test/harness/index.ts', import.meta.url)),
    },
  },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'services/*/test/**/*.test.ts',
      'infra/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    globalSetup: ['./test/harness/global-setup.ts'],
    // Stacks started by tests run side by side: each takes any free port, not the fixed defaults.
    env: { TOTES_POSTGRES_PORT: '0', TOTES_AWS_PORT: '0', TOTES_S3_PORT: '0' },
    // Most of the long files wait on child processes (a whole `totes sync`, a minute-long open
    // transaction) rather than compute. The default on two cores runs one file at a time: the
    // suite took 801 s that way, and 400 s with three at once, on a clean clone here.
    maxWorkers: 3,
    // A guard against a hang, not a speed check: an end-to-end test drives several whole syncs,
    // and a shared two-core machine has taken 60 s over one that takes 30 s when it is quiet.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/harness/summary-reporter.ts'],
    coverage: {
      // V8's, plus the processes the tests start (the `totes` command): decision 0014.
      provider: 'custom',
      customProviderModule: './test/harness/coverage-provider.ts',
      include: ['packages/*/src/**', 'services/*/src/**'],
      exclude: ['**/*.d.ts'],
      reporter: ['text-summary'],
      // The figures are worth seeing when a test fails too.
      reportOnFailure: true,
      // The floor the whole project keeps, with the `totes` processes the tests start counted.
      thresholds: { statements: 90, branches: 85 },
    },
  },
});
