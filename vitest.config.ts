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
    // Most of the long files wait on child processes (a whole `totes sync`, a minute-long open
    // transaction) rather than compute: three at once on two cores took the suite from about 13
    // to about 8 minutes here, where the default (one file at a time on two cores) ran them in turn.
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/harness/summary-reporter.ts'],
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**', 'services/*/src/**'],
      exclude: ['**/*.d.ts'],
      reporter: ['text-summary'],
    },
  },
});
