import {
  inputPrefixes,
  pipelineResources,
  resourceNames,
  sourceTableNames,
  warehouseTableNames,
} from '@totes/pipeline';
import { App, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineApp } from '../src/index';
import {
  cdkJson,
  databaseVpcContext,
  type SynthesizedPipeline,
  synthesizePipeline,
} from './synthesized-pipeline';

/** The findings cdk-nag's two packs report in an app, unacknowledged. */
function violationsOf(app: App) {
  return [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
    pack.validateScope(app).violations.map((violation) => ({
      rule: violation.ruleName,
      severity: violation.severity,
      at: violation.violatingResources.map((resource) => resource.constructPath),
    })),
  );
}

/** Every acknowledged rule in the app, with its reason, by the construct it is acknowledged on. */
function acknowledgements(app: App): readonly { path: string; id: string; reason: string }[] {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, { reason?: string } | string>).map(([id, value]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason: typeof value === 'string' ? value : (value.reason ?? ''),
        })),
      ),
  );
}

const resources = pipelineResources(resourceNames('prod'));
// One function per queue, dim_date's calendar and the reconciler.
const functionCount = resources.queues.length + 2;

describe('cdk-nag AwsSolutions and Serverless checks', () => {
  let pipeline: SynthesizedPipeline;
  beforeAll(() => {
    // Synthesis runs the checks (and CloudFormation's own validation) and throws on an error.
    pipeline = synthesizePipeline();
  });
  afterAll(() => pipeline?.remove());

  it('find nothing unacknowledged in any stack, errors or warnings', () => {
    expect(violationsOf(pipeline.app)).toEqual([]);
  });

  it('are acknowledged only where a reason is given, for these rules', () => {
    const acknowledged = acknowledgements(pipeline.app);
    for (const { reason } of acknowledged) expect(reason.length).toBeGreaterThan(40);
    const byRule = Map.groupBy(acknowledged, ({ id }) => id.replace(/\[.*\]$/, ''));
    expect(Object.fromEntries([...byRule].map(([rule, found]) => [rule, found.length]))).toEqual({
      // The access-log bucket does not log its own access.
      'AwsSolutions-S1': 1,
      // Both database secrets: their owners rotate them.
      'AwsSolutions-SMG4': 2,
      // Object prefixes of the function's own tables: the extractor's (every source table's), each transformer's inputs
      // and output, each loader's; and the operator's policy: its extractors' state objects and
      // the markers of given-up objects (its queues and log groups are named one by one).
      'AwsSolutions-IAM5':
        sourceTableNames.length +
        warehouseTableNames.reduce((grants, target) => grants + inputPrefixes(target).length + 1, 0) +
        warehouseTableNames.length +
        2 +
        // And what `doctor --aws` reads: six stacks by name (their ids follow), two secrets (their
        // random suffixes), and the two listings IAM takes on `*` only.
        6 +
        2 +
        1 +
        // The reconciler's: the warehouse secret's random suffix, and its schedule's invoke grant.
        2 +
        // The topics' key, by its alias, for the extractor and each transformer that announces again.
        1 +
        warehouseTableNames.length,
      // CDK's numeric ObjectSizeGreaterThan, on the two data buckets.
      'CloudFormation-Validate::W9003': 2,
      // The schedules' dead-letter queues (extract, reconcile) are dead-letter queues themselves.
      'AwsSolutions-SQS3': 2,
      'Serverless-SQSRedrivePolicy': resources.queues.length + 2,
      // Every function: tracing off (cost), no asynchronous DLQ (SQS or a schedule invokes it).
      'Serverless-LambdaTracing': functionCount,
      'Serverless-LambdaDLQ': functionCount,
      // Every SQS event source: SQS takes no on-failure destination; the queue's DLQ is it.
      'Serverless-LambdaEventSourceMappingDestination': resources.queues.length,
      // Every topic → queue subscription: the reconciler re-sends what SNS could not deliver.
      'Serverless-SNSRedrivePolicy': resources.subscriptions.length,
    });
    for (const rule of [
      'Serverless-LambdaDLQ',
      'Serverless-LambdaEventSourceMappingDestination',
      'Serverless-SNSRedrivePolicy',
      'Serverless-SQSRedrivePolicy',
    ]) {
      for (const { reason } of byRule.get(rule) ?? []) expect(reason).toMatch(/dead-letter queue|reconciler/);
    }
    const inStack = (stack: string) =>
      (byRule.get('AwsSolutions-IAM5') ?? []).filter(({ path }) => path.startsWith(`prod-totes-${stack}`));
    const [operator, reconciler] = [inStack('monitoring'), inStack('reconciler')];
    const topicKey = (byRule.get('AwsSolutions-IAM5') ?? []).filter(({ id }) => id.includes(':kms:'));
    expect(new Set(topicKey.map(({ id }) => id))).toEqual(
      new Set(['AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]']),
    );
    expect(topicKey.map(({ path }) => path.replace(/-[a-z_]+$/, '')).sort()).toEqual(
      [
        'prod-totes-extractor/Extract',
        ...warehouseTableNames.map(() => 'prod-totes-transformer/Transform'),
      ].sort(),
    );
    const objects = (byRule.get('AwsSolutions-IAM5') ?? []).filter(
      (ack) => !operator.includes(ack) && !reconciler.includes(ack) && !topicKey.includes(ack),
    );
    expect(
      reconciler.map(({ id }) => id.replace(/<ReconcileFunction[0-9A-F]+\.Arn>/, '<function>')).sort(),
    ).toEqual([
      'AwsSolutions-IAM5[Resource::<function>:*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:prod/totes/warehouse-??????]',
    ]);
    for (const { id } of objects) {
      expect(id).toMatch(
        /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:s3:::prod-totes-(ingest|processed)-<AWS::AccountId>-<AWS::Region>\/[a-z_]+\/(snapshots\/)?\*\]$/,
      );
    }
    const account = 'arn:<AWS::Partition>:{service}:<AWS::Region>:<AWS::AccountId>';
    expect(operator.map(({ id }) => id).sort()).toEqual(
      [
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::prod-totes-ingest-<AWS::AccountId>-<AWS::Region>/_state/extract/*]',
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::prod-totes-ingest-<AWS::AccountId>-<AWS::Region>/_state/given-up/*]',
        // What `doctor --aws` reads: ListSchedules and ListTopics, which IAM takes on `*` only,
        'AwsSolutions-IAM5[Resource::*]',
        // the stacks by name (CloudFormation appends their ids),
        ...['storage', 'loader', 'transformer', 'extractor', 'reconciler', 'monitoring'].map(
          (part) =>
            `AwsSolutions-IAM5[Resource::${account.replace('{service}', 'cloudformation')}:stack/prod-totes-${part}/*]`,
        ),
        // and the secrets by name (Secrets Manager appends six characters).
        ...['totesys', 'warehouse'].map(
          (database) =>
            `AwsSolutions-IAM5[Resource::${account.replace('{service}', 'secretsmanager')}:secret:prod/totes/${database}-??????]`,
        ),
      ].sort(),
    );
  });

  it('find nothing unacknowledged with the extractors and loaders in a VPC, whose network-interface wildcard is acknowledged on each of them alone', () => {
    const placed = synthesizePipeline(databaseVpcContext);
    try {
      expect(violationsOf(placed.app)).toEqual([]);
      const before = new Set(acknowledgements(pipeline.app).map(({ path, id }) => `${path} ${id}`));
      const added = acknowledgements(placed.app).filter(({ path, id }) => !before.has(`${path} ${id}`));
      const wildcards = added.filter(({ id }) => id === 'AwsSolutions-IAM5[Resource::*]');
      expect(wildcards.map(({ path }) => path).sort()).toEqual(
        [
          // The one extractor, for every table.
          'prod-totes-extractor/Extract',
          ...warehouseTableNames.map((target) => `prod-totes-loader/Load-${target}`),
          'prod-totes-reconciler/Reconcile',
        ].sort(),
      );
      for (const { reason } of wildcards) expect(reason).toContain('network-interface actions only');
      // CDK's own warnings on the imported subnets and VPC, which the functions name by id.
      expect(
        added
          .filter((ack) => !wildcards.includes(ack))
          .map(({ path, id }) => `${path} ${id}`)
          .sort(),
      ).toEqual(
        ['prod-totes-extractor', 'prod-totes-loader', 'prod-totes-reconciler'].flatMap((stack) => [
          `${stack}/DatabaseNetwork @aws-cdk/aws-ec2:noSubnetRouteTableId`,
          `${stack}/DatabaseNetwork @aws-cdk/aws-ec2:vpcAttributeIsListTokenavailabilityZones`,
        ]),
      );
    } finally {
      placed.remove();
    }
  });

  it('fail the synthesis on an unacknowledged finding', () => {
    const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
    const { storage } = pipelineApp(app);
    new Bucket(storage, 'Unlogged');
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });
});
