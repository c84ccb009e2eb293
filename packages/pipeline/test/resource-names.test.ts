import { describe, expect, it } from 'vitest';
import {
  inputPrefixes,
  pipelineResources,
  resourceNames,
  scopedBucketSuffixLength,
  sourceTableNames,
  warehouseTableNames,
} from '../src/index';

// Naming rules from the AWS documentation of each service.
const bucketName = /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const queueName = /^[A-Za-z0-9_-]{1,75}(\.fifo)?$/;
const topicName = /^[A-Za-z0-9_-]{1,256}$/;
const functionName = /^[A-Za-z0-9_-]{1,64}$/;

describe('resource names', () => {
  const names = resourceNames('production-eu-west2');
  const resources = pipelineResources(names);

  it.each(resources.buckets)('names bucket %s validly', (bucket) => expect(bucket).toMatch(bucketName));
  it.each(resources.topics)('names topic %s validly', (topic) => expect(topic).toMatch(topicName));

  it.each(resources.queues.map((queue) => [queue.name, queue] as const))(
    'names queue %s and its DLQ validly',
    (_, queue) => {
      for (const name of [queue.name, queue.deadLetterQueue]) {
        expect(name.length).toBeLessThanOrEqual(80);
        expect(name).toMatch(queueName);
        expect(name.endsWith('.fifo')).toBe(queue.fifo);
      }
      const fn = names.functionName(queue.stage, queue.table as never);
      expect(fn).toMatch(functionName);
    },
  );

  it('adds the account and region to the bucket names only, which are global to all of AWS', () => {
    const scoped = resourceNames('production-eu-west2', {
      account: '123456789012',
      region: 'ap-southeast-1',
    });
    expect(scoped.ingestBucket).toBe('production-eu-west2-totes-ingest-123456789012-ap-southeast-1');
    expect(scoped.processedBucket).toBe('production-eu-west2-totes-processed-123456789012-ap-southeast-1');
    expect(scoped.scope).toEqual({ account: '123456789012', region: 'ap-southeast-1' });
    // The longest environment, 20 characters, fits S3's 63 with a region of 13 or fewer.
    const longest = resourceNames('a'.repeat(20), { account: '123456789012', region: 'us-gov-west-1' });
    expect(longest.processedBucket).toMatch(bucketName);
    expect(`${'a'.repeat(19)}-totes-processed`.length + scopedBucketSuffixLength).toBe(63);
    // Everything else is unique within its account and region already.
    expect(scoped.queue('load', 'dim_staff')).toBe(names.queue('load', 'dim_staff'));
    expect(scoped.alertsTopic).toBe(names.alertsTopic);
    expect(names.scope).toBeUndefined();
    expect(names.ingestBucket).toBe('production-eu-west2-totes-ingest');
  });

  it('gives every queue a distinct name and a distinct DLQ', () => {
    const all = resources.queues.flatMap((queue) => [queue.name, queue.deadLetterQueue]);
    expect(new Set(all).size).toBe(all.length);
  });

  it("puts every table's extract requests on one FIFO queue, read by one function", () => {
    const extract = resources.queues.filter((queue) => queue.stage === 'extract');
    expect(extract.map((queue) => [queue.name, queue.deadLetterQueue, queue.table])).toEqual([
      ['production-eu-west2-extract.fifo', 'production-eu-west2-extract-dlq.fifo', undefined],
    ]);
    expect(extract[0]?.tables).toEqual(sourceTableNames);
    expect(new Set(sourceTableNames.map((table) => names.queue('extract', table)))).toEqual(
      new Set(['production-eu-west2-extract.fifo']),
    );
    expect(names.functionName('extract', 'staff')).toBe('production-eu-west2-extract');
    // After extraction, one queue and function a table.
    expect(names.queue('load', 'dim_staff')).toBe('production-eu-west2-load-dim_staff');
    expect(
      resources.queues.filter((queue) => queue.stage !== 'extract').every((q) => q.tables.length === 1),
    ).toBe(true);
  });

  it('uses FIFO queues for extraction only', () => {
    for (const queue of resources.queues) expect(queue.fifo).toBe(queue.stage === 'extract');
  });

  it('subscribes one load queue per warehouse table, filtered on its own key prefix', () => {
    for (const target of warehouseTableNames) {
      const subscription = resources.subscriptions.find((s) => s.queue === names.queue('load', target));
      expect(subscription?.topic).toBe(names.processedTopic);
      expect(subscription?.filterPolicy.Records.s3.object.key).toEqual([{ prefix: `${target}/` }]);
    }
  });

  it('triggers a dimension on snapshots of any of its inputs, and a fact on every object of its input', () => {
    expect(inputPrefixes('dim_staff')).toEqual(['staff/snapshots/', 'department/snapshots/']);
    expect(inputPrefixes('dim_counterparty')).toEqual(['counterparty/snapshots/', 'address/snapshots/']);
    expect(inputPrefixes('fact_payment')).toEqual(['payment/']);
    expect(inputPrefixes('dim_transaction')).toEqual(['transaction/']);
  });

  it.each(['', 'Prod', 'prod_1', '1prod', 'a-name-that-is-far-too-long-for-buckets'])(
    'refuses the environment name "%s"',
    (environment) => {
      expect(() => resourceNames(environment)).toThrow(/environment/);
    },
  );
});
