import { awsClients, localStackSettings, serveFunctions } from '@totes/local';
import { pipelineResources, resourceNames } from '@totes/pipeline';
import { logLevelOf } from '@totes/runtime';
import { logWriter } from './log-sink';
import { pipelineFunctions } from './pipeline-functions';

/** What the stack's process tells each function process: plain data only. */
export interface FunctionProcessInit {
  readonly region: string;
  readonly awsEndpoint: string;
  readonly s3Endpoint: string;
  readonly totesysUrl: string;
  readonly warehouseUrl: string;
  readonly queueUrls: readonly (readonly [string, string])[];
  readonly topicArns: readonly (readonly [string, string])[];
}

// A process of the local stack's function pool (packages/local/src/function-pool.ts): the same
// handlers the stack's process would build, with its own clients, logging through the pool.
serveFunctions(async ({ init, log }) => {
  const stack = init as FunctionProcessInit;
  const names = resourceNames(localStackSettings.environment);
  const clients = awsClients({ endpoint: stack.awsEndpoint, region: stack.region });
  const queueUrls = new Map(stack.queueUrls);
  const functions = pipelineFunctions(
    {
      region: stack.region,
      s3Endpoint: stack.s3Endpoint,
      totesysUrl: stack.totesysUrl,
      warehouseUrl: stack.warehouseUrl,
      names,
      resources: pipelineResources(names),
      clients,
      provisioned: { topicArns: new Map(stack.topicArns) },
      queueUrl: (name) => {
        const url = queueUrls.get(name);
        if (!url) throw new Error(`no queue named ${name} is provisioned`);
        return url;
      },
    },
    logWriter(log, logLevelOf()),
  );
  return new Map(functions.functions.map((fn) => [fn.name, fn.handler]));
});
