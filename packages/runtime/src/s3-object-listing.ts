import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectListing } from '@totes/pipeline';

/** {@link ObjectListing} over an S3 client (ListObjectsV2, page by page). */
export function s3ObjectListing(s3: S3Client): ObjectListing {
  return {
    async *list(bucket, prefix) {
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
        for (const object of page.Contents ?? []) {
          if (!object.Key) continue;
          yield {
            key: object.Key,
            size: object.Size ?? 0,
            eTag: (object.ETag ?? '').replace(/"/g, ''),
            lastModified: object.LastModified ?? new Date(0),
          };
        }
      }
    },
  };
}
