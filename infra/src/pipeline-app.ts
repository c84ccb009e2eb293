import { type App, type Environment, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type DeploymentSettings, deploymentSettings } from './deployment-settings';
import { ExtractorStack } from './extractor-stack';
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
}

/** The name of one of a deployment's stacks: `<environment>-totes-<part>`. */
export function stackName(settings: DeploymentSettings, part: string): string {
  return `${settings.names.environment}-totes-${part}`;
}

/**
 * Adds a deployment's six stacks to `app`, configured from its context, and checks them with
 * cdk-nag's AwsSolutions rules when the app is synthesized (an unacknowledged error fails it).
 *
 * The stacks refer to each other's resources by name, never through CloudFormation exports, so
 * each deploys on its own (`cdk deploy -e <stack>`). Their declared order, which `cdk deploy`
 * follows, is storage, then the consumers before the producers (loader, transformer, extractor),
 * so no object is announced to a queue that does not exist yet; the reconciler, which sends to the
 * transform and load queues, comes after them.
 */
export function pipelineApp(app: App): PipelineStacks {
  const settings = deploymentSettings(app.node);
  const env: Environment = {
    ...(settings.account ? { account: settings.account } : {}),
    ...(settings.region ? { region: settings.region } : {}),
  };
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
  const monitoring = new MonitoringStack(
    app,
    stackName(settings, 'monitoring'),
    props('monitoring', 'alarms into the alerts topic, and a dashboard'),
  );
  loader.addStackDependency(storage, 'reads the processed bucket, subscribes to processed-events');
  transformer.addStackDependency(loader, 'loaders must be listening before objects are processed');
  extractor.addStackDependency(transformer, 'transformers must be listening before objects are ingested');
  reconciler.addStackDependency(extractor, 'sends to the queues the stages before it create');
  monitoring.addStackDependency(storage, 'alarms publish to the alerts topic');

  Tags.of(app).add('project', 'terrific-totes');
  Tags.of(app).add('environment', settings.names.environment);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { settings, storage, extractor, transformer, loader, reconciler, monitoring };
}
