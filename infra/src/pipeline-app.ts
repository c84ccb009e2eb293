import {
  Annotations,
  type App,
  AspectPriority,
  Aspects,
  type Environment,
  Tags,
  Validations,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { RefuseDeployment, RetainExceptOnCreate } from './deployment-guard';
import { type DeploymentSettings, deploymentSettings } from './deployment-settings';
import { ExtractorStack } from './extractor-stack';
import { GithubDeployStack } from './github-deploy-stack';
import { LoaderStack } from './loader-stack';
import { MonitoringStack } from './monitoring-stack';
import { ReconcilerStack } from './reconciler-stack';
import { StorageStack } from './storage-stack';
import { TransformerStack } from './transformer-stack';

/** The six stacks of a deployment. */
export interface PipelineStacks {
  readonly settings: DeploymentSettings;
  readonly storage: StorageStack;
  readonly extractor: ExtractorStack;
  readonly transformer: TransformerStack;
  readonly loader: LoaderStack;
  readonly reconciler: ReconcilerStack;
  readonly monitoring: MonitoringStack;
  /** The GitHub OIDC roles, when `githubRepository` is given. */
  readonly github: GithubDeployStack | undefined;
}

/** The name of one of a deployment's stacks: `<environment>-totes-<part>`. */
export function stackName(settings: DeploymentSettings, part: string): string {
  return `${settings.names.environment}-totes-${part}`;
}

/**
 * What every stack of the app gets, whatever adds it (the pipeline's stacks, and any other stack
 * of the same app): the project's tags, cdk-nag's AwsSolutions and Serverless checks (an
 * unacknowledged finding fails the synthesis), resources kept on delete but not after a failed
 * create, and, unless `settings` name a complete deployment, a rule that refuses to deploy.
 */
export function applyAppPolicies(app: App, settings: DeploymentSettings): void {
  Tags.of(app).add('project', 'terrific-totes');
  Tags.of(app).add('environment', settings.names.environment);
  Aspects.of(app).add(new RetainExceptOnCreate(), { priority: AspectPriority.MUTATING });
  if (!settings.deployable) {
    const message =
      'Synthesized without a deployment: give -c environment=<name> -c account=<12 digits> -c region=<region> to deploy (see infra/README.md).';
    Aspects.of(app).add(new RefuseDeployment(message), { priority: AspectPriority.MUTATING });
    Annotations.of(app).addWarningV2('@totes/infra:notDeployable', message);
  }
  if (!settings.alertEmail) {
    Annotations.of(app).addWarningV2(
      '@totes/infra:noAlertEmail',
      'No alertEmail: nobody is subscribed to the alerts topic, so alarms reach no one. Deploy with -c alertEmail=<address> and confirm the e-mail AWS sends.',
    );
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
}

/**
 * Adds a deployment's six stacks to `app`, configured from its context, with the app-wide
 * policies of {@link applyAppPolicies} (cdk-nag among them).
 *
 * The stacks refer to each other's resources by name, never through CloudFormation exports, so
 * each deploys on its own (`cdk deploy -e <stack>`). Their declared order, which `cdk deploy`
 * follows, is storage, then the consumers before the producers (loader, transformer, extractor),
 * so no object is announced to a queue that does not exist yet; the reconciler, which sends to the
 * transform and load queues, comes after them.
 */
export function pipelineApp(app: App): PipelineStacks {
  const settings = deploymentSettings(app.node);
  // Pinned only when both are given (a deployable app); a local synth stays account-agnostic.
  const env: Environment =
    settings.account && settings.region ? { account: settings.account, region: settings.region } : {};
  const props = (part: string, description: string) => ({
    settings,
    env,
    stackName: stackName(settings, part),
    description: `Terrific Totes ${settings.names.environment}: ${description}`,
  });
  const storage = new StorageStack(
    app,
    stackName(settings, 'storage'),
    props('storage', 'ingest and processed buckets, their event topics, the alerts topic'),
  );
  const loader = new LoaderStack(
    app,
    stackName(settings, 'loader'),
    props('loader', 'a loader function, queue and DLQ per warehouse table'),
  );
  const transformer = new TransformerStack(
    app,
    stackName(settings, 'transformer'),
    props('transformer', 'a transformer function, queue and DLQ per warehouse table'),
  );
  const extractor = new ExtractorStack(
    app,
    stackName(settings, 'extractor'),
    props('extractor', 'an extractor function, FIFO queue, DLQ and schedules per source table'),
  );
  const reconciler = new ReconcilerStack(
    app,
    stackName(settings, 'reconciler'),
    props('reconciler', 're-queues, on a schedule, what a stage left unconsumed'),
  );
  const monitoring = new MonitoringStack(app, stackName(settings, 'monitoring'), {
    ...props('monitoring', 'alarms into the alerts topic, and a dashboard'),
    pipelineStacks: [storage, loader, transformer, extractor, reconciler]
      .map((stack) => stack.stackName)
      .concat(stackName(settings, 'monitoring')),
  });
  loader.addStackDependency(storage, 'reads the processed bucket, subscribes to processed-events');
  transformer.addStackDependency(loader, 'loaders must be listening before objects are processed');
  extractor.addStackDependency(transformer, 'transformers must be listening before objects are ingested');
  reconciler.addStackDependency(extractor, 'sends to the queues the stages before it create');
  monitoring.addStackDependency(storage, 'alarms publish to the alerts topic');

  // Account-wide and shared by every environment, so named without one.
  const github = settings.githubRepository
    ? new GithubDeployStack(app, 'totes-github-deploy', {
        env,
        stackName: 'totes-github-deploy',
        description: `Terrific Totes: the roles ${settings.githubRepository}'s workflows assume through GitHub OIDC`,
        repository: settings.githubRepository,
        oidcProviderArn: settings.githubOidcProviderArn,
      })
    : undefined;
  applyAppPolicies(app, settings);
  return { settings, storage, extractor, transformer, loader, reconciler, monitoring, github };
}
