import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type PipelineResources,
  pipelineResources,
  type ResourceNames,
  resourceNames,
} from '@totes/pipeline';
import { type AwsClients, awsClients } from './aws-clients';
import { type EmbeddedAws, startEmbeddedAws } from './embedded-aws';
import { type EmbeddedPostgresServer, startEmbeddedPostgres } from './embedded-postgres-server';
import { emulatorQueueInspector } from './emulator-queue-inspector';
import { freePort } from './free-port';
import { handBackInFlight } from './hand-back-in-flight';
import { notificationOutbox } from './notification-outbox';
import { type ProvisionedPipeline, provisionPipeline } from './provision-pipeline';
import { type QueueDepth, queueDepths } from './queue-depths';
import { s3EventFanOut } from './s3-event-fan-out';
import { type S3NotificationProxy, startS3NotificationProxy } from './s3-notification-proxy';
import { localStackSettings, localVisibilityTimeout } from './stack-settings';

/** Where the local stack keeps its state and which databases it uses. */
export interface LocalStackOptions {
  /** PostgreSQL data, the emulator's queues and objects, and logs live here. */
  readonly dataDir: string;
  /** An existing totesys to read instead of the embedded one (then nothing is seeded). */
  readonly totesysUrl?: string;
  /** An existing warehouse to load instead of the embedded one. */
  readonly warehouseUrl?: string;
  readonly onError?: (error: unknown) => void;
  /**
   * The loopback ports to listen on (0: any free port). Without them PostgreSQL and the S3
   * proxy take any free port, and the emulator the port of its last run when it is free.
   */
  readonly ports?: LocalStackPorts;
}

/** The loopback ports of a local stack's endpoints. */
export interface LocalStackPorts {
  readonly postgres: number;
  readonly aws: number;
  readonly s3: number;
}

/** What a stack found left over by an earlier run on its data directory, and put right. */
export interface StackRecovery {
  /** Messages that run held when it stopped, made visible again at once. */
  readonly messagesHandedBack: number;
  /** Object events it owed, published now. */
  readonly notificationsReplayed: number;
}

/** A running local stack: databases, the emulator behind its S3 notification proxy, provisioned. */
export interface LocalStack {
  readonly names: ResourceNames;
  readonly resources: PipelineResources;
  readonly region: string;
  /** The emulator's endpoint (SQS, SNS). */
  readonly awsEndpoint: string;
  /** The S3 endpoint that announces new objects: what the services must use. */
  readonly s3Endpoint: string;
  readonly totesysUrl: string;
  readonly warehouseUrl: string;
  /** Whether totesys is the embedded one (which may be seeded and receive live traffic). */
  readonly embeddedTotesys: boolean;
  readonly clients: AwsClients;
  readonly provisioned: ProvisionedPipeline;
  queueUrl(name: string): string;
  queueArn(name: string): string;
  /** S3 notifications still being published. */
  pendingNotifications(): number;
  /** The services' S3 requests so far, by HTTP method (`LIST` for listings). */
  s3Requests(): Readonly<Record<string, number>>;
  /** What was left over by an earlier run and put right at start. */
  readonly recovery: StackRecovery;
  /** The depth of every queue and its DLQ. */
  queueDepths(): Promise<readonly QueueDepth[]>;
  stop(): Promise<void>;
}

interface StackState {
  readonly awsPort: number;
}

async function readState(file: string): Promise<StackState | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as StackState;
  } catch {
    return undefined;
  }
}

/**
 * Starts the pipeline's infrastructure on this machine.
 *
 * One embedded PostgreSQL with the `totesys` and `warehouse` databases (unless URLs are given), the
 * AWS emulator persisted in the data directory, the S3 notification proxy in front of it, and every
 * bucket, topic, queue, DLQ and subscription of the topology. The functions, the scheduler and the
 * traffic are started by the caller on top of it, so this package never depends on the services.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { region, environment } = localStackSettings;
  await mkdir(options.dataDir, { recursive: true });
  const stateFile = join(options.dataDir, 'stack.json');
  const stopping: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stopping.reverse()) await step().catch((error) => options.onError?.(error));
  };
  try {
    let postgres: EmbeddedPostgresServer | undefined;
    if (!options.totesysUrl || !options.warehouseUrl) {
      postgres = await startEmbeddedPostgres({
        dataDir: join(options.dataDir, 'postgres'),
        persistent: true,
        ...(options.ports?.postgres ? { port: options.ports.postgres } : {}),
      });
      const server = postgres;
      stopping.push(() => server.stop());
      if (!options.totesysUrl) await postgres.ensureDatabase('totesys');
      if (!options.warehouseUrl) await postgres.ensureDatabase('warehouse');
    }
    const previous = await readState(stateFile);
    let aws: EmbeddedAws;
    if (options.ports) {
      aws = await startEmbeddedAws({
        port: options.ports.aws,
        dataDir: join(options.dataDir, 'aws'),
        region,
      });
    } else {
      try {
        aws = await startEmbeddedAws({
          port: previous?.awsPort ?? (await freePort()),
          dataDir: join(options.dataDir, 'aws'),
          region,
        });
      } catch {
        // The port of the last run is taken: the persisted state does not depend on it.
        aws = await startEmbeddedAws({
          port: await freePort(),
          dataDir: join(options.dataDir, 'aws'),
          region,
        });
      }
    }
    stopping.push(() => aws.stop());
    await writeFile(stateFile, `${JSON.stringify({ awsPort: Number(new URL(aws.endpoint).port) })}\n`);

    const clients = awsClients({ endpoint: aws.endpoint, region });
    stopping.push(async () => clients.destroy());
    const names = resourceNames(environment);
    const resources = pipelineResources(names);
    const provisioned = await provisionPipeline(clients, resources, {
      visibilityTimeoutSeconds: localVisibilityTimeout,
    });
    const topicOfBucket = new Map(
      resources.notifications.map(({ bucket, topic }) => [bucket, provisioned.topicArns.get(topic) ?? '']),
    );
    const proxy: S3NotificationProxy = await startS3NotificationProxy({
      target: aws.endpoint,
      onCreated: s3EventFanOut({ s3: clients.s3, sns: clients.sns, region, topicOfBucket }),
      outbox: notificationOutbox(join(options.dataDir, 'aws', 'notification-outbox.log')),
      ...(options.ports ? { port: options.ports.s3 } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
    stopping.push(() => proxy.stop());
    // Whoever starts the stack owns its data directory: what an earlier run left held or owed
    // is nobody's now. Hand the messages back and publish the events before anything runs.
    const recovery: StackRecovery = {
      messagesHandedBack: await handBackInFlight(
        clients.sqs,
        emulatorQueueInspector(aws.endpoint),
        provisioned.queueUrls,
      ),
      notificationsReplayed: await proxy.replay(),
    };

    const queueUrl = (name: string) => {
      const url = provisioned.queueUrls.get(name);
      if (!url) throw new Error(`no queue named ${name} is provisioned`);
      return url;
    };
    return {
      names,
      resources,
      region,
      awsEndpoint: aws.endpoint,
      s3Endpoint: proxy.endpoint,
      totesysUrl: options.totesysUrl ?? postgres?.url('totesys') ?? '',
      warehouseUrl: options.warehouseUrl ?? postgres?.url('warehouse') ?? '',
      embeddedTotesys: !options.totesysUrl,
      clients,
      provisioned,
      queueUrl,
      pendingNotifications: () => proxy.pending,
      s3Requests: () => proxy.requests,
      recovery,
      queueArn: (name) => `arn:aws:sqs:${region}:000000000000:${name}`,
      queueDepths: () => queueDepths(clients.sqs, resources.queues, queueUrl),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
