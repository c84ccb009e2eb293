import { startFauxqs } from 'fauxqs';

/** Options for {@link startEmbeddedAws}. */
export interface EmbeddedAwsOptions {
  /** Port to listen on; the kernel picks one when absent. */
  readonly port?: number;
  /** Keeps queues, topics and buckets across restarts in this directory (SQLite and files). */
  readonly dataDir?: string;
  readonly region?: string;
}

/** The embedded S3/SQS/SNS emulator, speaking the real wire protocols on loopback. */
export interface EmbeddedAws {
  /** The endpoint for `AWS_ENDPOINT_URL`. */
  readonly endpoint: string;
  readonly region: string;
  stop(): Promise<void>;
}

/** Starts the AWS emulator (fauxqs, library mode) on loopback. */
export async function startEmbeddedAws(options: EmbeddedAwsOptions = {}): Promise<EmbeddedAws> {
  const region = options.region ?? 'eu-west-2';
  const server = await startFauxqs({
    port: options.port ?? 0,
    host: '127.0.0.1',
    logger: false,
    defaultRegion: region,
    ...(options.dataDir ? { dataDir: options.dataDir, s3StorageDir: `${options.dataDir}/s3` } : {}),
  });
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    region,
    stop: () => server.stop(),
  };
}
