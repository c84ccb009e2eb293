import { fileURLToPath } from 'node:url';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * The Lambda bundles: one per service deployed as functions (a directory each under `services/`),
 * and the dashboard's other entries: its scheduled analytics refresh, and its sign-in and
 * authorizer (one bundle, two exports).
 */
export type ServiceName =
  | 'extractor'
  | 'transformer'
  | 'loader'
  | 'reconciler'
  | 'dashboard'
  | 'analytics-refresh'
  | 'dashboard-sign-in'
  | 'dashboard-authorizer';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The Lambda entry file of each service, and where in the bundle it sits. */
const entries = {
  extractor: { entry: 'services/extractor/src/handler.ts', handler: 'index.handler' },
  transformer: { entry: 'services/transformer/src/handler.ts', handler: 'index.handler' },
  // The loader reads its DDL at run time from `../sql/*.sql` next to its module (migrate-warehouse.ts,
  // @totes/schema's ddl-file.ts): the bundle goes one directory down and the SQL files beside it.
  loader: { entry: 'services/loader/src/handler.ts', handler: 'handler/index.handler' },
  reconciler: { entry: 'services/reconciler/src/handler.ts', handler: 'index.handler' },
  dashboard: { entry: 'services/dashboard/src/handler.ts', handler: 'index.handler' },
  // Reads the analytics views' DDL (@totes/schema's ddl-file.ts) the same way as the loader.
  'analytics-refresh': {
    entry: 'services/dashboard/src/refresh-handler.ts',
    handler: 'handler/index.handler',
  },
  'dashboard-sign-in': { entry: 'services/dashboard/src/sign-in-handler.ts', handler: 'index.handler' },
  'dashboard-authorizer': { entry: 'services/dashboard/src/sign-in-handler.ts', handler: 'index.authorize' },
} as const satisfies Record<ServiceName, { entry: string; handler: string }>;

const loaderSqlFiles = ['services/loader/sql/etl.sql', 'packages/schema/sql/warehouse.sql'] as const;
const analyticsSqlFiles = ['packages/schema/sql/analytics.sql'] as const;

/**
 * The code settings every function of a service shares. Functions of one service differ only by
 * their environment, so the props are identical and the CDK asset cache bundles each service
 * once (four esbuild runs, not 34). esbuild runs locally, never in Docker.
 *
 * - ESM output, because the services are ES modules that use `import.meta.url`; the banner gives
 *   the CommonJS dependencies (`pg`) the `require` that esbuild's ESM output lacks.
 * - Everything is bundled, the AWS SDK clients included, at the versions the lockfile pins: the
 *   code deployed is the code the tests run, not whatever SDK the Lambda runtime carries that
 *   day (docs/decisions/0011-deployable-for-real.md). `pg-native` is an optional `pg` add-on
 *   never installed.
 */
export function serviceBundle(service: ServiceName): NodejsFunctionProps {
  const { entry, handler } = entries[service];
  return {
    entry: `${repositoryRoot}${entry}`,
    handler,
    projectRoot: repositoryRoot,
    depsLockFilePath: `${repositoryRoot}pnpm-lock.yaml`,
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    bundling: {
      format: OutputFormat.ESM,
      target: 'node24',
      mainFields: ['module', 'main'],
      externalModules: ['pg-native'],
      banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      tsconfig: `${repositoryRoot}tsconfig.json`,
      forceDockerBundling: false,
      ...(service === 'loader' ? { commandHooks: sqlBeside(loaderSqlFiles) } : {}),
      ...(service === 'analytics-refresh' ? { commandHooks: sqlBeside(analyticsSqlFiles) } : {}),
    },
  };
}

/** The bundle one directory down (`handler/index.mjs`), and `files` in `sql/` beside it. */
const sqlBeside = (files: readonly string[]) => ({
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir: string, outputDir: string) => [
    `mkdir -p "${outputDir}/handler" "${outputDir}/sql"`,
    `mv "${outputDir}/index.mjs" "${outputDir}/handler/index.mjs"`,
    ...files.map((file) => `cp "${inputDir}/${file}" "${outputDir}/sql/"`),
  ],
});
