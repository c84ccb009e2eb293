import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalStack } from '@totes/local';
import {
  pipelineResources,
  type ResourceNames,
  resourceNames,
  type StageName,
  stageNames,
} from '@totes/pipeline';

/** A CloudFormation resource of a synthesized template. */
interface TemplateResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

type Resources = Readonly<Record<string, TemplateResource>>;

/** One Lambda function of a synthesized stack, as its template deploys it. */
export interface DeployedFunction {
  readonly functionName: string;
  readonly stage: StageName;
  readonly table: string;
  /** The bundle's entry module in the cloud assembly, and the export Lambda calls. */
  readonly entry: string;
  readonly exportName: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** The event source mapping's batch size; absent for a function no queue feeds (dim_date). */
  readonly batchSize: number | undefined;
  /** The environment as the template writes it: strings and CloudFormation intrinsics. */
  readonly variables: Readonly<Record<string, unknown>>;
  /** The template's resources, which the variables' references point into. */
  readonly resources: Resources;
}

/** The stacks of the pipeline's stages, by the stage whose functions they hold. */
const stackOfStage = {
  extract: 'extractor',
  transform: 'transformer',
  load: 'loader',
} as const satisfies Record<StageName, string>;

/**
 * Every stage function of the cloud assembly `assembly` for `environment`: its bundle, handler,
 * limits and environment, read from the templates the CLI wrote.
 */
export function deployedFunctions(assembly: string, environment: string): readonly DeployedFunction[] {
  const functions: DeployedFunction[] = [];
  for (const stage of stageNames) {
    const template = JSON.parse(
      readFileSync(join(assembly, `${environment}-totes-${stackOfStage[stage]}.template.json`), 'utf8'),
    ) as { Resources: Resources };
    const resources = template.Resources;
    const mappings = Object.values(resources).filter(
      (resource) => resource.Type === 'AWS::Lambda::EventSourceMapping',
    );
    for (const [id, resource] of Object.entries(resources)) {
      const properties = resource.Properties;
      const functionName = String(properties.FunctionName);
      const prefix = `${environment}-${stage}-`;
      // The one extractor is named after its stage alone; a function a table after it.
      const ofStage = functionName === `${environment}-${stage}` || functionName.startsWith(prefix);
      if (resource.Type !== 'AWS::Lambda::Function' || !ofStage) continue;
      const { S3Key } = properties.Code as { S3Key: string };
      const [file, exportName = 'handler'] = String(properties.Handler).split(/\.(?=[^.]+$)/);
      const mapping = mappings.find(
        (candidate) => (candidate.Properties.FunctionName as { Ref?: string }).Ref === id,
      );
      functions.push({
        functionName,
        stage,
        table: functionName.startsWith(prefix) ? functionName.slice(prefix.length) : '',
        entry: join(assembly, `asset.${S3Key.replace(/\.zip$/, '')}`, `${file}.mjs`),
        exportName,
        timeoutSeconds: Number(properties.Timeout),
        memoryMb: Number(properties.MemorySize),
        batchSize: mapping ? Number(mapping.Properties.BatchSize) : undefined,
        variables: (properties.Environment as { Variables: Record<string, unknown> }).Variables,
        resources,
      });
    }
  }
  return functions;
}

/** Thrown for a value of a template that the local stack has nothing to stand for. */
class UnresolvedValueError extends Error {
  override readonly name = 'UnresolvedValueError';
}

/**
 * The environment `fn`'s template gives it, with every reference resolved as CloudFormation would
 * resolve it in an account whose resources are the local stack's: the account is the emulator's
 * and the region the stack's, each bucket, queue and topic the local one of the same role (found
 * by pairing the deployment's names with the stack's, both derived from the topology), and a
 * database secret the connection string the stack provides (`X_SECRET_ARN` becomes `X_URL`, the
 * other way in that the services' environments accept). A reference of any other kind fails.
 */
export function localVariables(
  fn: DeployedFunction,
  stack: LocalStack,
  environment: string,
  account: string,
): Record<string, string> {
  const deployed = resourceNames(environment, { account, region: stack.region });
  const names = localNames(deployed, stack);
  const databases = { totesys: stack.totesysUrl, warehouse: stack.warehouseUrl } as const;
  const variables: Record<string, string> = {};
  const resolve = (value: unknown, variable: string): string => {
    if (typeof value === 'string') return value;
    const reference = (value as { Ref?: unknown }).Ref;
    if (typeof reference === 'string') {
      const pseudo: Record<string, string> = {
        'AWS::AccountId': account,
        'AWS::Region': stack.region,
        'AWS::Partition': 'aws',
        'AWS::URLSuffix': 'amazonaws.com',
      };
      if (pseudo[reference]) return pseudo[reference];
      const resource = fn.resources[reference];
      if (resource?.Type === 'AWS::SQS::Queue') {
        const queue = resolve(resource.Properties.QueueName, variable);
        return stack.queueUrl(names.get(queue) ?? queue);
      }
      throw new UnresolvedValueError(
        `${fn.functionName} ${variable}: a Ref to ${resource?.Type ?? reference}`,
      );
    }
    const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map((part) => resolve(part, variable)).join(join[0]);
    throw new UnresolvedValueError(`${fn.functionName} ${variable}: ${JSON.stringify(value)}`);
  };
  for (const [variable, value] of Object.entries(fn.variables)) {
    const secret = secretOf(fn, value);
    if (secret && variable.endsWith('_SECRET_ARN')) {
      const database = (Object.keys(databases) as (keyof typeof databases)[]).find((name) =>
        secret.endsWith(`/totes/${name}`),
      );
      if (!database) throw new UnresolvedValueError(`${fn.functionName} ${variable}: the secret ${secret}`);
      variables[variable.replace(/_SECRET_ARN$/, '_URL')] = databases[database];
      continue;
    }
    const resolved = resolve(value, variable);
    variables[variable] = names.get(resolved) ?? resolved;
  }
  return variables;
}

/** The name of the secret a `{ Ref }` to a Secrets Manager secret points at, if it is one. */
function secretOf(fn: DeployedFunction, value: unknown): string | undefined {
  const reference = (value as { Ref?: unknown } | undefined)?.Ref;
  const resource = typeof reference === 'string' ? fn.resources[reference] : undefined;
  return resource?.Type === 'AWS::SecretsManager::Secret' ? String(resource.Properties.Name) : undefined;
}

/**
 * The deployment's resource names paired with the local stack's: buckets and queues by name,
 * topics by ARN (the functions are given topic ARNs).
 */
function localNames(deployed: ResourceNames, stack: LocalStack): ReadonlyMap<string, string> {
  const names = new Map<string, string>([
    [deployed.ingestBucket, stack.names.ingestBucket],
    [deployed.processedBucket, stack.names.processedBucket],
  ]);
  const [region, account] = [deployed.scope?.region, deployed.scope?.account];
  const deployedTopics = pipelineResources(deployed).topics;
  pipelineResources(stack.names).topics.forEach((topic, index) => {
    const arn = stack.provisioned.topicArns.get(topic);
    if (arn) names.set(`arn:aws:sns:${region}:${account}:${deployedTopics[index]}`, arn);
  });
  const deployedQueues = pipelineResources(deployed).queues;
  stack.resources.queues.forEach((queue, index) => {
    const other = deployedQueues[index];
    if (!other) return;
    names.set(other.name, queue.name);
    names.set(other.deadLetterQueue, queue.deadLetterQueue);
  });
  return names;
}

/**
 * The message a table's schedule sends its extract queue, from the extractor's template: the
 * schedule's input with the scheduled time (`<aws.scheduler.scheduled-time>`) as `at`, and its
 * message group.
 */
export function scheduledMessage(
  assembly: string,
  environment: string,
  table: string,
  mode: 'incremental' | 'sweep',
  at: string,
): { readonly MessageBody: string; readonly MessageGroupId: string } {
  const template = JSON.parse(
    readFileSync(join(assembly, `${environment}-totes-extractor.template.json`), 'utf8'),
  ) as { Resources: Resources };
  const schedule = Object.values(template.Resources).find(
    (resource) =>
      resource.Type === 'AWS::Scheduler::Schedule' &&
      resource.Properties.Name === `${environment}-extract-${table}-${mode}`,
  );
  const target = schedule?.Properties.Target as
    | { Input: string; SqsParameters: { MessageGroupId: string } }
    | undefined;
  if (!target) throw new Error(`no ${mode} schedule for ${table} in the extractor's template`);
  return {
    MessageBody: target.Input.replaceAll('<aws.scheduler.scheduled-time>', at),
    MessageGroupId: target.SqsParameters.MessageGroupId,
  };
}
