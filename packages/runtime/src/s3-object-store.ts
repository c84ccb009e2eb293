import { Readable } from 'node:stream';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ObjectStore } from './object-store';

// 8 MB parts: the emulator refuses a single PUT body above 11 MiB, and S3 needs at least 5 MiB.
const partSize = 8 * 1024 * 1024;

/** An {@link ObjectStore} over one S3 bucket, streaming large bodies as multipart uploads. */
export function s3ObjectStore(s3: S3Client, bucket: string): ObjectStore {
  return {
    bucket,
    async put(key, body, metadata = {}) {
      const upload = new Upload({
        client: s3,
        params: { Bucket: bucket, Key: key, Body: body, Metadata: { ...metadata } },
        partSize,
        queueSize: 2,
        leavePartsOnError: false,
      });
      const result = await upload.done();
      return { eTag: (result.ETag ?? '').replace(/"/g, '') };
    },
    async get(key) {
      const result = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!(result.Body instanceof Readable))
        throw new Error(`s3://${bucket}/${key} returned no readable body`);
      return {
        body: result.Body,
        metadata: result.Metadata ?? {},
        eTag: (result.ETag ?? '').replace(/"/g, ''),
      };
    },
    async head(key) {
      try {
        const result = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { metadata: result.Metadata ?? {}, size: result.ContentLength ?? 0 };
      } catch (error) {
        if (error instanceof NotFound || (error as { name?: string }).name === 'NotFound') return undefined;
        throw error;
      }
    },
    async *list(prefix) {
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        for (const object of page.Contents ?? []) {
          if (object.Key) yield { key: object.Key, size: object.Size ?? 0 };
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    },
  };
}
