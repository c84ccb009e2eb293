import { createServer, request as forward, type IncomingMessage } from 'node:http';
import { crashPoint } from './crash-point';
import type { NotificationOutbox } from './notification-outbox';

/** An object the proxy saw being created. */
export interface CreatedObject {
  readonly bucket: string;
  readonly key: string;
  readonly eventName: 'ObjectCreated:Put' | 'ObjectCreated:CompleteMultipartUpload' | 'ObjectCreated:Copy';
}

/** A running proxy: point S3 clients at `endpoint`. */
export interface S3NotificationProxy {
  readonly endpoint: string;
  /** Notifications being published right now (a stack is quiet only when this is 0). */
  readonly pending: number;
  /** S3 requests passed through so far, by HTTP method, listings as `LIST` (S3 bills PUT, POST and LIST alike). */
  readonly requests: Readonly<Record<string, number>>;
  /** Publishes what the outbox still owes from an earlier run; resolves when all are published. */
  replay(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Which S3 request creates an object, from its method, path-style URL and headers.
 *
 * Undefined for anything else (reads, bucket operations, parts of a multipart upload,
 * sub-resources).
 */
export function createdObjectOf(
  method: string,
  url: string,
  headers: IncomingMessage['headers'],
): CreatedObject | undefined {
  const parsed = new URL(url, 'http://proxy');
  const [, bucket, ...keyParts] = parsed.pathname.split('/');
  if (!bucket || keyParts.length === 0 || keyParts.join('') === '') return undefined;
  const key = decodeURIComponent(keyParts.join('/'));
  const query = parsed.searchParams;
  if (method === 'POST' && query.has('uploadId'))
    return { bucket, key, eventName: 'ObjectCreated:CompleteMultipartUpload' };
  // The SDK names the operation in `x-id`; any other parameter is a sub-resource or a part.
  const subresources = [...query.keys()].filter((name) => name !== 'x-id');
  if (method !== 'PUT' || subresources.length > 0) return undefined;
  return {
    bucket,
    key,
    eventName: headers['x-amz-copy-source'] ? 'ObjectCreated:Copy' : 'ObjectCreated:Put',
  };
}

/**
 * A pass-through proxy in front of the emulator's S3 API that reports each object created.
 *
 * It calls `onCreated` after every request that created an object succeeds. The emulator sends no
 * S3 event notifications; with this, writing an object starts the next stage locally exactly as it
 * does in AWS, and the services need no local-only code. With an `outbox`, each creation is
 * recorded before the writer hears of its success and crossed off once announced, so a crash in
 * between loses no event: {@link S3NotificationProxy.replay} announces it on the next start. An
 * announcement that fails stays owed and is tried again at the next replay.
 */
export async function startS3NotificationProxy(options: {
  readonly target: string;
  readonly onCreated: (object: CreatedObject) => Promise<void>;
  readonly onError?: (error: unknown) => void;
  readonly outbox?: NotificationOutbox;
  /** The port to listen on; the kernel picks one when absent or 0. */
  readonly port?: number;
}): Promise<S3NotificationProxy> {
  const target = new URL(options.target);
  const { outbox } = options;
  let pending = 0;
  const requests: Record<string, number> = {};
  const announce = (created: CreatedObject, id: number | undefined) => {
    pending += 1;
    crashPoint('before-publish', created.key);
    return options
      .onCreated(created)
      .then(() => {
        if (id !== undefined) outbox?.paid(id);
      })
      .catch((error) => options.onError?.(error))
      .finally(() => {
        pending -= 1;
      });
  };
  const server = createServer((incoming, outgoing) => {
    // A listing is a GET, but S3 bills it with the PUTs: counted apart.
    const method = /[?&]list-type=/.test(incoming.url ?? '') ? 'LIST' : (incoming.method ?? 'GET');
    requests[method] = (requests[method] ?? 0) + 1;
    const created = createdObjectOf(incoming.method ?? 'GET', incoming.url ?? '/', incoming.headers);
    const upstream = forward(
      {
        hostname: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (response) => {
        const succeeded = created !== undefined && response.statusCode === 200;
        // Owed before the writer can know its object exists: from then on, its event is kept.
        const id = succeeded ? outbox?.owe(created) : undefined;
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
        response.on('end', () => {
          if (succeeded) void announce(created, id);
        });
      },
    );
    upstream.on('error', (error) => {
      options.onError?.(error);
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('the S3 notification proxy has no address');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    get pending() {
      return pending;
    },
    get requests() {
      return { ...requests };
    },
    async replay() {
      const owed = outbox?.owed() ?? [];
      for (const { id, object } of owed) await announce(object, id);
      return owed.length;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
