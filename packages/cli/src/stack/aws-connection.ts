import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { inBatches } from '@totes/local';
import { pipelineResources, type ResourceNames, resourceNames } from '@totes/pipeline';
import { CliError } from '../cli-error';
import { errorSummary } from '../error-summary';
import { cloudWatchFailureLog } from './cloud-watch-failure-log';

import type { QueueConnection } from './queue-connection';

/** A deployment of the pipeline in AWS, reached with the SDK's default credentials and region. */
export interface AwsConnection extends QueueConnection {
  readonly environment: string;
  readonly region: string;
  /** The deployment's names, its buckets' carrying its account and region (`resourceNames`). */
  readonly names: ResourceNames;
  /** For the deployment's buckets, whose names the topology gives (`<environment>-totes-ingest-<account>-<region>`, …). */
  readonly s3: S3Client;
}

/**
 * The account of an SQS queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`).
 *
 * SQS documents this form. The queues are looked up by name in the credentials' account anyway, so
 * their URLs tell the account the buckets are named with, with no further call.
 */
export function queueUrlAccount(url: string): string {
  const account = /(?:^|\/)(\d{12})\/[^/]+$/.exec(url)?.[1];
  if (!account) throw new Error(`the queue URL ${url} names no 12-digit account`);
  return account;
}

/** Why the SDK could not start: no credentials, no region. Anything else is the caller's to explain. */
function setupError(error: unknown, environment: string): CliError | undefined {
  const name = (error as { name?: string }).name ?? '';
  const message = (error as { message?: string }).message ?? '';
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new CliError(
      `no AWS credentials for --aws ${environment}: set AWS_PROFILE (after \`aws sso login\` if it uses SSO), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`,
      1,
      { cause: error },
    );
  }
  if (/region is missing/i.test(message)) {
    return new CliError(
      `no AWS region for --aws ${environment}: set AWS_REGION, or a region in the profile`,
      1,
      { cause: error },
    );
  }
  return undefined;
}

/**
 * Connects to the queues of the deployment `environment` in AWS.
 *
 * SQS, S3 and CloudWatch Logs clients from the SDK's default chain (AWS_PROFILE, AWS_REGION,
 * AWS_ENDPOINT_URL and the rest, as the SDK reads them), the queue names from the topology, their
 * URLs from `GetQueueUrl`. Fails with a message to act on when credentials or region are missing or
 * a queue does not exist.
 */
export async function connectAws(environment: string): Promise<AwsConnection> {
  // Queue names hold no account or region: look them up first, then name the buckets.
  const resources = pipelineResources(resourceNames(environment));
  // Requests go to the endpoint the SDK resolves (AWS_ENDPOINT_URL included), not to the host in
  // a queue URL: an emulator's URLs name a host that is not its own, and in AWS they are the same.
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const logs = new CloudWatchLogsClient({});
  // Virtual-hosted bucket addresses in AWS; path-style where an endpoint is set (an emulator).
  const s3 = new S3Client({
    forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL),
  });
  const close = async () => {
    sqs.destroy();
    logs.destroy();
    s3.destroy();
  };
  try {
    const region = await sqs.config.region().catch((error: unknown) => {
      throw setupError(error, environment) ?? error;
    });
    const queueNames = resources.queues.flatMap((queue) => [queue.name, queue.deadLetterQueue]);
    const urls = new Map<string, string>();
    await inBatches(queueNames, 10, async (name) => {
      try {
        const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
        if (QueueUrl) urls.set(name, QueueUrl);
      } catch (error) {
        throw (
          setupError(error, environment) ??
          ((error as { name?: string }).name === 'QueueDoesNotExist'
            ? new CliError(
                `queue ${name} does not exist in ${region}: is the environment "${environment}" deployed there? (--aws names the environment; AWS_PROFILE and AWS_REGION the account and region)`,
              )
            : new CliError(`could not look up queue ${name} in ${region}: ${errorSummary(error)}`, 1, {
                cause: error,
              }))
        );
      }
    });
    const [firstUrl] = urls.values();
    if (!firstUrl) throw new CliError(`the topology names no queue for ${environment}`);
    const names = resourceNames(environment, { account: queueUrlAccount(firstUrl), region });
    return {
      environment,
      region,
      names,
      resources: pipelineResources(names),
      sqs,
      s3,
      failureLog: cloudWatchFailureLog(logs, names),
      moveTasks: true,
      queueUrl: (name) => {
        const url = urls.get(name);
        if (!url) throw new Error(`no URL for queue ${name}`);
        return url;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
