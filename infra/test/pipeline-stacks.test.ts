import { readdirSync, readFileSync } from 'node:fs';
import {
  deadLettersMetricOf,
  ExtractRequest,
  extractorEnvironment,
  freshnessWatchedTables,
  givenUpPrefix,
  type IngestKey,
  ingestKey,
  inputPrefixes,
  isReferenceTable,
  loaderEnvironment,
  metricOf,
  type ProcessedKey,
  pipelineResources,
  processedKey,
  reconcileGraceSeconds,
  reconcilerEnvironment,
  resourceNames,
  type SourceTableName,
  s3Event,
  sourceTableNames,
  stageNames,
  stageSettings,
  stageWideMetricOf,
  stateKey,
  type TargetTableName,
  targetsOf,
  transformerEnvironment,
  visibilityTimeoutSeconds,
  warehouseTableNames,
  warehouseTables,
} from '@totes/pipeline';
import { createMetrics } from '@totes/runtime';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deploymentNames } from '../../packages/cli/src/doctor/deployment-names';
import {
  deploymentSettings,
  ExtractorStack,
  noncurrentIngestVersionDays,
  StorageStack,
  scheduleIntervalMinutes,
} from '../src/index';
import {
  cdkJson,
  databaseVpcContext,
  type Resource,
  referencedId,
  rendered,
  resourcesOf,
  type SynthesizedPipeline,
  synthesizePipeline,
} from './synthesized-pipeline';

let pipeline: SynthesizedPipeline;
beforeAll(() => {
  pipeline = synthesizePipeline();
});
afterAll(() => pipeline?.remove());

// The deployment's names as the templates render them (`rendered`): the account and region of
// the bucket names are the references CloudFormation resolves.
const names = resourceNames('prod', { account: '<AWS::AccountId>', region: '<AWS::Region>' });
const resources = pipelineResources(names);

/** A function in a template by its name, with its logical id. */
const functionOf = (template: Template, functionName: string) =>
  named(template, 'AWS::Lambda::Function', 'FunctionName', functionName);

function environmentOf(resource: Resource): Record<string, unknown> {
  return (resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

/** The environment as the function would see it, CloudFormation references standing for strings. */
function resolvedEnvironment(resource: Resource): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environmentOf(resource)).map(([key, value]) => [key, rendered(value)]),
  );
}

/** The logical id of a queue by its name. */
const queueId = (template: Template, queueName: string) =>
  named(template, 'AWS::SQS::Queue', 'QueueName', queueName)[0];

/** The resource of a type whose `property` is `value` (as rendered), with its logical id. */
function named(template: Template, type: string, property: string, value: unknown): [string, Resource] {
  const found = [...resourcesOf(template, type)].find(
    ([, resource]) =>
      resource.Properties[property] === value || rendered(resource.Properties[property]) === value,
  );
  if (!found) throw new Error(`no ${type} with ${property} ${String(value)}`);
  return found;
}

/** The logical id of the one resource of a type in a template. */
function onlyId(template: Template, type: string): string {
  const ids = [...resourcesOf(template, type).keys()];
  if (ids.length !== 1 || !ids[0]) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0];
}

/** Every policy statement granted to a function's role. */
function statementsOf(template: Template, functionResource: Resource) {
  const roleId = referencedId(functionResource.Properties.Role);
  // A role's statements past the inline size limit go to a managed policy CDK attaches to it.
  return [
    ...resourcesOf(template, 'AWS::IAM::Policy').values(),
    ...resourcesOf(template, 'AWS::IAM::ManagedPolicy').values(),
  ]
    .filter((policy) =>
      ((policy.Properties.Roles as unknown[] | undefined) ?? []).some(
        (role) => referencedId(role) === roleId,
      ),
    )
    .flatMap(
      (policy) =>
        (
          policy.Properties.PolicyDocument as {
            Statement: { Action: string | string[]; Resource: unknown }[];
          }
        ).Statement,
    )
    .map((statement) => ({
      actions: [statement.Action].flat(),
      resources: [statement.Resource].flat().map(rendered),
    }));
}

const stageTemplate = (stage: 'extract' | 'transform' | 'load') =>
  ({
    extract: pipeline.templates.extractor,
    transform: pipeline.templates.transformer,
    load: pipeline.templates.loader,
  })[stage];

describe('the stacks', () => {
  it('are six, named after the environment, and refer to each other by name, not by export', () => {
    expect(
      pipeline.app.node.children
        .filter((child) => Stack.isStack(child))
        .map((child) => child.node.id)
        .sort(),
    ).toEqual(
      ['extractor', 'loader', 'monitoring', 'reconciler', 'storage', 'transformer'].map(
        (part) => `prod-totes-${part}`,
      ),
    );
    for (const template of Object.values(pipeline.templates)) {
      expect(JSON.stringify(template.toJSON())).not.toContain('Fn::ImportValue');
    }
  });

  it('deploy storage first, then the consumers before the producers', () => {
    const dependencies = (stack: { dependencies: readonly { stackName: string }[] }) =>
      stack.dependencies.map((dependency) => dependency.stackName);
    expect(dependencies(pipeline.loader)).toEqual(['prod-totes-storage']);
    expect(dependencies(pipeline.transformer)).toEqual(['prod-totes-loader']);
    expect(dependencies(pipeline.extractor)).toEqual(['prod-totes-transformer']);
    expect(dependencies(pipeline.monitoring)).toEqual(['prod-totes-storage']);
    expect(dependencies(pipeline.reconciler)).toEqual(['prod-totes-extractor']);
  });
});

describe('storage', () => {
  it.each(resources.notifications)(
    'keeps $bucket private and encrypted, announcing new objects to $topic',
    ({ bucket, topic }) => {
      const template = pipeline.templates.storage;
      const [bucketId, resource] = named(template, 'AWS::S3::Bucket', 'BucketName', bucket);
      expect(resource.Properties).toMatchObject({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      });
      expect(
        rendered((resource.Properties.LoggingConfiguration as { LogFilePrefix: unknown }).LogFilePrefix),
      ).toBe(`${bucket}/`);
      const rules = (
        resource.Properties.LifecycleConfiguration as {
          Rules: { AbortIncompleteMultipartUpload?: unknown }[];
        }
      ).Rules;
      expect(rules).toContainEqual(
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
      );

      const topicId = [...resourcesOf(template, 'AWS::SNS::Topic')].find(
        ([, candidate]) => candidate.Properties.TopicName === topic,
      )?.[0];
      const notifications = resource.Properties.NotificationConfiguration as {
        TopicConfigurations: { Event: string; Topic: unknown }[];
      };
      expect(notifications.TopicConfigurations).toEqual([
        { Event: 's3:ObjectCreated:*', Topic: { Ref: topicId } },
      ]);
      // The configuration is validated by S3 when it is set: the topic's policy must exist first.
      const topicPolicy = [...resourcesOf(template, 'AWS::SNS::TopicPolicy')].find(([, policy]) =>
        (policy.Properties.Topics as unknown[]).some((t) => referencedId(t) === topicId),
      );
      expect(resource.DependsOn).toEqual(expect.arrayContaining([topicId, topicPolicy?.[0]]));
      if (!topicPolicy) throw new Error(`no policy for topic ${topic}`);
      const s3Allow = (
        topicPolicy[1].Properties.PolicyDocument as {
          Statement: { Principal?: unknown; Condition?: { ArnLike?: Record<string, unknown> } }[];
        }
      ).Statement.find((statement) => JSON.stringify(statement.Principal).includes('s3.amazonaws.com'));
      expect(rendered(s3Allow?.Condition?.ArnLike?.['aws:SourceArn'])).toBe(`arn:aws:s3:::${bucket}`);

      const bucketPolicy = [...resourcesOf(template, 'AWS::S3::BucketPolicy').values()].find(
        (policy) => referencedId(policy.Properties.Bucket) === bucketId,
      );
      expect(JSON.stringify(bucketPolicy?.Properties)).toContain('"aws:SecureTransport":"false"');
    },
  );

  it('names each bucket with the account and region, so a name is never taken by someone else', () => {
    for (const resource of resourcesOf(pipeline.templates.storage, 'AWS::S3::Bucket').values()) {
      const name = resource.Properties.BucketName;
      if (name === undefined) continue; // The access-log bucket: CloudFormation names it.
      expect(rendered(name)).toMatch(/^prod-totes-(ingest|processed)-<AWS::AccountId>-<AWS::Region>$/);
    }
    expect(
      [...resourcesOf(pipeline.templates.storage, 'AWS::S3::Bucket').values()].filter(
        (resource) => resource.Properties.BucketName !== undefined,
      ),
    ).toHaveLength(2);
  });

  it('keeps buckets and secrets on delete, except after a failed create, which a retry may then repeat', () => {
    const retained = [
      pipeline.templates.storage,
      pipeline.templates.extractor,
      pipeline.templates.loader,
    ].flatMap((template) =>
      Object.values(
        template.toJSON().Resources as Record<
          string,
          { Type: string; DeletionPolicy?: string; UpdateReplacePolicy?: string }
        >,
      ).filter((resource) => ['AWS::S3::Bucket', 'AWS::SecretsManager::Secret'].includes(resource.Type)),
    );
    expect(retained).toHaveLength(3 + 2);
    for (const resource of retained) {
      expect(resource.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(resource.UpdateReplacePolicy).toBe('Retain');
    }
    // Nothing in any stack is retained in the plain way, which blocks a retried first create.
    for (const template of Object.values(pipeline.templates)) {
      expect(JSON.stringify(template.toJSON())).not.toContain('"DeletionPolicy":"Retain"');
    }
  });

  it('versions the ingest bucket alone, the only source to reprocess from, expiring old versions', () => {
    const [, ingest] = named(pipeline.templates.storage, 'AWS::S3::Bucket', 'BucketName', names.ingestBucket);
    const [, processed] = named(
      pipeline.templates.storage,
      'AWS::S3::Bucket',
      'BucketName',
      names.processedBucket,
    );
    expect(ingest.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect((ingest.Properties.LifecycleConfiguration as { Rules: unknown[] }).Rules).toContainEqual(
      expect.objectContaining({
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NoncurrentDays: noncurrentIngestVersionDays },
      }),
    );
    expect(processed.Properties.VersioningConfiguration).toBeUndefined();
  });

  it('lets CloudWatch alarms of this account and region publish to the alerts topic, and no one else', () => {
    const template = pipeline.templates.storage;
    const [alertsId] = named(template, 'AWS::SNS::Topic', 'TopicName', names.alertsTopic);
    const policies = [...resourcesOf(template, 'AWS::SNS::TopicPolicy').values()].filter((policy) =>
      (policy.Properties.Topics as unknown[]).some((topic) => referencedId(topic) === alertsId),
    );
    const [policy, ...others] = policies;
    expect(others).toEqual([]);
    if (!policy) throw new Error('no policy for the alerts topic');
    const statements = (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    const [allow] = allows;
    expect(allow?.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
    expect(allow?.Action).toBe('sns:Publish');
    expect(referencedId(allow?.Resource)).toBe(alertsId);
    const conditions = allow?.Condition as {
      ArnLike: Record<string, unknown>;
      StringEquals: Record<string, unknown>;
    };
    expect(rendered(conditions.ArnLike['aws:SourceArn'])).toBe(
      'arn:aws:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:*',
    );
    expect(rendered(conditions.StringEquals['aws:SourceAccount'])).toBe('<AWS::AccountId>');
    // The TLS-only deny stays beside it.
    expect(JSON.stringify(statements)).toContain('"aws:SecureTransport":"false"');
  });

  it('encrypts every topic with a rotated key of its own and refuses publishing without TLS', () => {
    const template = pipeline.templates.storage;
    const topics = [...resourcesOf(template, 'AWS::SNS::Topic').values()];
    expect(topics.map((topic) => topic.Properties.TopicName).sort()).toEqual([...resources.topics].sort());
    for (const topic of topics) expect(referencedId(topic.Properties.KmsMasterKeyId)).toBeDefined();
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    for (const policy of resourcesOf(template, 'AWS::SNS::TopicPolicy').values()) {
      expect(JSON.stringify(policy.Properties)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('e-mails the alerts topic only when an address is given', () => {
    pipeline.templates.storage.resourceCountIs('AWS::SNS::Subscription', 0);
    const app = new App({
      context: { ...cdkJson.context, environment: 'prod', alertEmail: 'ops@example.com' },
    });
    const stack = new StorageStack(app, 'storage', { settings: deploymentSettings(app.node) });
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });
});

describe.each(stageNames)('the %s queues', (stage) => {
  const queues = () => resources.queues.filter((queue) => queue.stage === stage);

  it("exist with a dead-letter queue after the stage's maxReceiveCount", () => {
    const template = stageTemplate(stage);
    // Extraction is one FIFO queue for every table (its message group the table).
    expect(queues().map((queue) => queue.tables)).toEqual(
      stage === 'extract'
        ? [sourceTableNames]
        : warehouseTableNames
            .filter((target) => stage === 'load' || warehouseTables[target].inputs.length > 0)
            .map((target) => [target]),
    );
    if (stage === 'extract') expect(queues().map((queue) => queue.name)).toEqual(['prod-extract.fifo']);
    for (const queue of queues()) {
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: queue.name,
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [queueId(template, queue.deadLetterQueue), 'Arn'] },
          maxReceiveCount: stageSettings[stage].maxReceiveCount,
        },
        SqsManagedSseEnabled: true,
        ...(stage === 'extract' ? { FifoQueue: true, ContentBasedDeduplication: true } : {}),
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        QueueName: queue.deadLetterQueue,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
    }
  });

  it('keep a message invisible at least six times the function timeout, plus the batching window', () => {
    const template = stageTemplate(stage);
    const settings = stageSettings[stage];
    for (const queue of queues()) {
      const resource = resourcesOf(template, 'AWS::SQS::Queue').get(queueId(template, queue.name));
      expect(resource?.Properties.VisibilityTimeout).toBe(visibilityTimeoutSeconds(stage));
      expect(resource?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(
        6 * settings.timeoutSeconds + settings.batchWindowSeconds,
      );
    }
  });

  it("each feed one function with the stage's batch settings and partial batch responses", () => {
    const template = stageTemplate(stage);
    const settings = stageSettings[stage];
    for (const queue of queues()) {
      const [functionId] = functionOf(template, names.functionName(stage, queue.table as never));
      const mappings = [...resourcesOf(template, 'AWS::Lambda::EventSourceMapping').values()].filter(
        (mapping) => referencedId(mapping.Properties.FunctionName) === functionId,
      );
      expect(mappings).toHaveLength(1);
      expect(mappings[0]?.Properties).toMatchObject({
        EventSourceArn: { 'Fn::GetAtt': [queueId(template, queue.name), 'Arn'] },
        BatchSize: settings.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      // A maximum only where it protects the warehouse's connections: without one, Lambda may
      // keep two pollers of an idle queue instead of five.
      expect(mappings[0]?.Properties.ScalingConfig).toEqual(
        stage === 'load' ? { MaximumConcurrency: 2 } : undefined,
      );
      expect(settings.eventSourceMaxConcurrency).toBe(stage === 'load' ? 2 : undefined);
      expect(mappings[0]?.Properties.MaximumBatchingWindowInSeconds).toBe(
        settings.batchWindowSeconds > 0 ? settings.batchWindowSeconds : undefined,
      );
    }
  });
});

describe.each([
  ['extract', sourceTableNames],
  ['transform', warehouseTableNames],
  ['load', warehouseTableNames],
] as const)('the %s functions', (stage, tables) => {
  it("are one per table (one for every table's extraction), on Node.js 24 with the stage's timeout, memory and Node options", () => {
    const template = stageTemplate(stage);
    const settings = stageSettings[stage];
    const functions = { extract: 1, transform: tables.length + 1, load: tables.length }[stage];
    template.resourceCountIs('AWS::Lambda::Function', functions);
    for (const table of tables) {
      const [, resource] = functionOf(template, names.functionName(stage, table as never));
      expect(resource.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Timeout: settings.timeoutSeconds,
        MemorySize: settings.memoryMb,
        Architectures: ['arm64'],
      });
      expect(environmentOf(resource).NODE_OPTIONS).toBe(settings.nodeOptions.join(' '));
      // The extractors compress ingest objects as the deployment says: zstd unless told otherwise.
      if (stage === 'extract') expect(environmentOf(resource).INGEST_COMPRESSION).toBe('zstd');
    }
  });

  it("may only touch their own table's objects, queue and secret, with no wildcard action", () => {
    const template = stageTemplate(stage);
    for (const table of tables) {
      const functionName = names.functionName(stage, table as never);
      const [, resource] = functionOf(template, functionName);
      const statements = statementsOf(template, resource);
      const objects = statements.flatMap((s) => s.resources.filter((r) => /:s3:::[^/]+\//.test(r)));
      const expected = {
        // The one extractor: every source table's objects and state, nothing else.
        extract: () =>
          sourceTableNames.flatMap((source) => [
            `${names.ingestBucket}/${source}/*`,
            `${names.ingestBucket}/${stateKey(source)}`,
          ]),
        transform: () => [
          ...inputPrefixes(table as TargetTableName).map((prefix) => `${names.ingestBucket}/${prefix}*`),
          `${names.processedBucket}/${table}/*`,
        ],
        load: () => [`${names.processedBucket}/${table}/*`],
      }[stage]();
      expect(objects.map((arn) => arn.replace(/^arn:aws:s3:::/, '')).sort()).toEqual(expected.sort());

      const queueIds = new Set([...resourcesOf(template, 'AWS::SQS::Queue').keys()].map((id) => `<${id}>`));
      const queueArns = statements.flatMap((s) => s.resources.filter((r) => queueIds.has(r)));
      const ownQueue = resources.queues.find(
        (q) => q.stage === stage && (q.tables as readonly string[]).includes(table),
      );
      expect(new Set(queueArns)).toEqual(new Set(ownQueue ? [`<${queueId(template, ownQueue.name)}>`] : []));

      const secrets = statements.filter((s) => s.actions.includes('secretsmanager:GetSecretValue'));
      const secretIds = secrets.flatMap((s) => s.resources);
      const ownSecret = stage === 'transform' ? [] : [`<${onlyId(template, 'AWS::SecretsManager::Secret')}>`];
      expect(secretIds).toEqual(ownSecret);
      for (const statement of statements) {
        expect(statement.actions.filter((action) => action.includes('*'))).toEqual([]);
        expect(statement.resources).not.toContain('*');
      }
    }
  });
});

/** Lambda's VpcConfig for {@link databaseVpcContext}: exactly its subnets and security groups. */
const databaseVpcConfig = {
  SubnetIds: databaseVpcContext.vpcSubnetIds.split(','),
  SecurityGroupIds: databaseVpcContext.vpcSecurityGroupIds.split(','),
};

/** What Lambda needs of a VPC function's role to manage its network interfaces. */
const networkInterfaceActions = [
  'ec2:AssignPrivateIpAddresses',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:UnassignPrivateIpAddresses',
];

/** A template without what a VPC placement adds: the functions' VpcConfig and their ec2 statements. */
function withoutVpcPlacement(template: Template): unknown {
  const copy = structuredClone(template.toJSON()) as { Resources: Record<string, Resource> };
  for (const resource of Object.values(copy.Resources)) {
    if (resource.Type === 'AWS::Lambda::Function') delete resource.Properties.VpcConfig;
    if (resource.Type === 'AWS::IAM::Policy') {
      const document = resource.Properties.PolicyDocument as { Statement: { Action: unknown }[] };
      document.Statement = document.Statement.filter(
        (statement) => ![statement.Action].flat().some((action) => String(action).startsWith('ec2:')),
      );
    }
  }
  return copy;
}

describe('the functions that connect to a database', () => {
  const databaseStages = [
    ['extract', sourceTableNames],
    ['load', warehouseTableNames],
  ] as const;
  let placed: SynthesizedPipeline;
  beforeAll(() => {
    placed = synthesizePipeline(databaseVpcContext);
  });
  afterAll(() => placed?.remove());
  const placedTemplate = (stage: 'extract' | 'load') =>
    stage === 'extract' ? placed.templates.extractor : placed.templates.loader;

  it('are placed without looking anything up in the account, so synthesis needs no credentials', () => {
    // For a given account and region, a lookup (Vpc.fromLookup, say) would leave its context
    // missing, for the CLI to fetch with credentials; for none, it would fail outright.
    const deployed = synthesizePipeline({
      ...databaseVpcContext,
      account: '123456789012',
      region: 'eu-west-2',
    });
    try {
      expect(deployed.app.synth().manifest.missing ?? []).toEqual([]);
      const [, extractor] = functionOf(
        deployed.templates.extractor,
        names.functionName('extract', 'payment'),
      );
      expect(extractor.Properties.VpcConfig).toEqual(databaseVpcConfig);
    } finally {
      deployed.remove();
    }
  });

  it('are placed in no VPC, and no role may touch EC2, unless the context names one', () => {
    for (const template of Object.values(pipeline.templates)) {
      for (const resource of resourcesOf(template, 'AWS::Lambda::Function').values()) {
        expect(resource.Properties.VpcConfig).toBeUndefined();
      }
      expect(JSON.stringify(template.toJSON())).not.toContain('"ec2:');
    }
  });

  it.each(databaseStages)(
    'are placed, every %s function, in exactly the subnets and security groups of the context',
    (stage, tables) => {
      const template = placedTemplate(stage);
      for (const table of tables) {
        const [, resource] = functionOf(template, names.functionName(stage, table as never));
        expect(resource.Properties.VpcConfig).toEqual(databaseVpcConfig);
      }
      template.resourceCountIs('AWS::Lambda::Function', stage === 'extract' ? 1 : tables.length);
    },
  );

  it.each(databaseStages)(
    "let Lambda manage each %s function's network interfaces through its own role, before it is created",
    (stage, tables) => {
      const template = placedTemplate(stage);
      for (const table of tables) {
        const [, resource] = functionOf(template, names.functionName(stage, table as never));
        const wildcards = statementsOf(template, resource).filter((s) => s.resources.includes('*'));
        expect(wildcards).toEqual([{ actions: networkInterfaceActions, resources: ['*'] }]);
        // Lambda refuses a VPC function whose role cannot create network interfaces yet.
        const roleId = referencedId(resource.Properties.Role);
        const policyIds = [...resourcesOf(template, 'AWS::IAM::Policy')]
          .filter(([, policy]) =>
            (policy.Properties.Roles as unknown[]).some((role) => referencedId(role) === roleId),
          )
          .map(([id]) => id);
        expect(policyIds).toHaveLength(1);
        expect(resource.DependsOn).toEqual(expect.arrayContaining(policyIds));
      }
      for (const role of resourcesOf(template, 'AWS::IAM::Role').values()) {
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    },
  );

  it('change nothing else in their stacks, and nothing in the VPC', () => {
    expect(withoutVpcPlacement(placed.templates.extractor)).toEqual(pipeline.templates.extractor.toJSON());
    expect(withoutVpcPlacement(placed.templates.loader)).toEqual(pipeline.templates.loader.toJSON());
    for (const template of Object.values(placed.templates)) {
      const types = Object.values(template.toJSON().Resources as Record<string, Resource>).map((r) => r.Type);
      expect(types.filter((type) => type.startsWith('AWS::EC2::'))).toEqual([]);
    }
  });

  it('leave the transformers, the calendar included, outside the VPC, their stack as it was', () => {
    const functions = [...resourcesOf(placed.templates.transformer, 'AWS::Lambda::Function').values()];
    expect(functions.length).toBeGreaterThan(warehouseTableNames.length);
    for (const resource of functions) expect(resource.Properties.VpcConfig).toBeUndefined();
    expect(placed.templates.transformer.toJSON()).toEqual(pipeline.templates.transformer.toJSON());
    expect(placed.templates.storage.toJSON()).toEqual(pipeline.templates.storage.toJSON());
    expect(placed.templates.monitoring.toJSON()).toEqual(pipeline.templates.monitoring.toJSON());
  });
});

describe('the extractor', () => {
  it('reads every table with one function, whose environment names no table (each request does)', () => {
    const template = pipeline.templates.extractor;
    const [, resource] = functionOf(template, 'prod-extract');
    const environment = resolvedEnvironment(resource);
    expect(environment.TABLE).toBeUndefined();
    const parsed = extractorEnvironment.parse(environment);
    expect(parsed).toMatchObject({
      ingestBucket: names.ingestBucket,
      source: { secretArn: `<${onlyId(template, 'AWS::SecretsManager::Secret')}>` },
    });
    expect(environment.EXTRACT_QUEUE_URL).toBe(`<${queueId(template, 'prod-extract.fifo')}>`);
    expect(parsed.timeBudgetMs).toBeLessThan(stageSettings.extract.timeoutSeconds * 1000);
  });

  it.each(sourceTableNames)('is sent scheduled requests for %s, in its own message group', (table) => {
    const template = pipeline.templates.extractor;
    const schedules = [...resourcesOf(template, 'AWS::Scheduler::Schedule').values()].filter(
      (schedule) =>
        (schedule.Properties.Target as { SqsParameters: { MessageGroupId: string } }).SqsParameters
          .MessageGroupId === table,
    );
    const [groupId] = [...resourcesOf(template, 'AWS::Scheduler::ScheduleGroup').keys()];
    const requests = schedules.map((schedule) => {
      const target = schedule.Properties.Target as { Arn: unknown; Input: string };
      expect(referencedId(target.Arn)).toBe(queueId(template, names.queue('extract', table)));
      expect(schedule.DependsOn).toContain(groupId);
      // Off until the secrets are set (`-c schedules=on`).
      expect(schedule.Properties.State).toBe('DISABLED');
      return JSON.parse(target.Input.replace('<aws.scheduler.scheduled-time>', '2024-11-04T09:15:00Z'));
    });
    const incremental = { mode: 'incremental', table, requestedAt: '2024-11-04T09:15:00Z' };
    expect(requests).toEqual(
      isReferenceTable(table) ? [incremental] : [incremental, { ...incremental, mode: 'sweep' }],
    );
    // The extractor takes every scheduled request, a sweep being named by its scheduled time.
    for (const request of requests) expect(ExtractRequest.safeParse(request).success).toBe(true);
    expect(ExtractRequest.parse({ ...incremental, mode: 'sweep' })).toMatchObject({
      run: '20241104T091500000',
    });
  });

  it('sweeps not at all when told, and reads totesys through an existing secret when given one', () => {
    const secretArn = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:prod/totes/totesys-AbCdEf';
    const app = new App({
      context: {
        ...cdkJson.context,
        environment: 'prod',
        'aws:cdk:bundling-stacks': [],
        sweepSchedule: 'off',
        totesysSecretArn: secretArn,
      },
    });
    const template = Template.fromStack(
      new ExtractorStack(app, 'extractor', { settings: deploymentSettings(app.node) }),
    );
    const modes = [...resourcesOf(template, 'AWS::Scheduler::Schedule').values()].map(
      (schedule) => JSON.parse((schedule.Properties.Target as { Input: string }).Input).mode,
    );
    expect(modes).toEqual(sourceTableNames.map(() => 'incremental'));
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    const [, extractor] = functionOf(template, names.functionName('extract', 'payment'));
    expect(environmentOf(extractor).TOTESYS_SECRET_ARN).toBe(secretArn);
    const secrets = statementsOf(template, extractor).filter((s) =>
      s.actions.includes('secretsmanager:GetSecretValue'),
    );
    expect(secrets.flatMap((s) => s.resources)).toEqual([secretArn]);
  });

  it('starts every schedule disabled, each with a dead-letter queue, and enables them all with schedules=on', () => {
    const schedulesOf = (stacks: SynthesizedPipeline) => [
      ...resourcesOf(stacks.templates.extractor, 'AWS::Scheduler::Schedule').values(),
      ...resourcesOf(stacks.templates.reconciler, 'AWS::Scheduler::Schedule').values(),
    ];
    const off = schedulesOf(pipeline);
    expect(off.length).toBeGreaterThan(sourceTableNames.length);
    for (const schedule of off) {
      expect(schedule.Properties.State).toBe('DISABLED');
      const target = schedule.Properties.Target as { DeadLetterConfig?: { Arn: unknown } };
      expect(rendered(target.DeadLetterConfig?.Arn)).toMatch(/^<ScheduleDeadLetters/);
    }
    const on = synthesizePipeline({ schedules: 'on' });
    try {
      const enabled = schedulesOf(on);
      expect(enabled).toHaveLength(off.length);
      for (const schedule of enabled) expect(schedule.Properties.State).toBe('ENABLED');
    } finally {
      on.remove();
    }
  });

  it('runs the schedules at the rates of the context', () => {
    const expressions = [
      ...resourcesOf(pipeline.templates.extractor, 'AWS::Scheduler::Schedule').values(),
    ].map((schedule) => schedule.Properties.ScheduleExpression);
    expect(new Set(expressions)).toEqual(
      new Set([cdkJson.context.incrementalSchedule, cdkJson.context.sweepSchedule]),
    );
  });
});

/** A sample of the keys the extractor writes for a source table, of every kind it has. */
function ingestKeysOf(table: SourceTableName): readonly string[] {
  const keys: IngestKey[] = isReferenceTable(table)
    ? [{ kind: 'snapshot', table, takenAt: '20241104T091502345', hash: '0123456789abcdef' }]
    : [
        { kind: 'changes', table, after: null, through: { lastUpdated: '2024-11-04 09:15:02.345', id: 7 } },
        { kind: 'rescan', table, reason: 'initial', run: '20241104T000000000', firstId: 1, lastId: 1000 },
        { kind: 'rescan', table, reason: 'sweep', run: '20241104T000000000', firstId: 1, lastId: 1000 },
        { kind: 'rescan', table, reason: 'full', run: '20241104T000000000', firstId: 1, lastId: 1000 },
      ];
  return keys.map((key) => ingestKey(key));
}

/** A key the transformer writes for a warehouse table. */
function processedKeyOf(target: TargetTableName): string {
  const generation = 1;
  const inputs = warehouseTables[target].inputs as readonly SourceTableName[];
  const key: ProcessedKey =
    target === 'dim_date'
      ? { kind: 'calendar', target, generation, from: '20200101', to: '20301231' }
      : inputs.every((input) => !isReferenceTable(input))
        ? {
            kind: 'rows',
            target,
            generation,
            source: {
              kind: 'changes',
              table: inputs[0] as never,
              after: null,
              through: { lastUpdated: '2024-11-04 09:15:02.345', id: 7 },
            },
          }
        : {
            kind: 'rebuild',
            target,
            generation,
            versions: Object.fromEntries(
              inputs.map((input) => [input, '20241104T091502345-0123456789abcdef']),
            ),
          };
  return processedKey(key);
}

/**
 * Whether an SNS filter policy with `FilterPolicyScope: MessageBody` matches a message body, for
 * the operators the topology uses (prefix, exact string): nested keys must all match, and arrays
 * in the body match when any element does, as SNS evaluates them.
 */
function matchesFilterPolicy(policy: unknown, body: unknown): boolean {
  const candidates = Array.isArray(body) ? body : [body];
  if (Array.isArray(policy)) {
    return candidates.some(
      (value) =>
        typeof value === 'string' &&
        policy.some((condition: unknown) =>
          typeof condition === 'object' && condition !== null && 'prefix' in condition
            ? value.startsWith(String(condition.prefix))
            : condition === value,
        ),
    );
  }
  return candidates.some(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      Object.entries(policy as object).every(
        ([key, nested]) =>
          key in value && matchesFilterPolicy(nested, (value as Record<string, unknown>)[key]),
      ),
  );
}

/** The queues a template's subscriptions deliver a new object to. */
function deliveredTo(template: Template, bucket: string, key: string): readonly string[] {
  const body = s3Event({
    bucket,
    key,
    size: 1,
    eTag: 'e',
    region: 'eu-west-2',
    eventTime: new Date('2024-11-04T09:15:03Z'),
    sequencer: '01',
  });
  const queueNames = new Map(
    [...resourcesOf(template, 'AWS::SQS::Queue')].map(([id, queue]) => [
      id,
      String(queue.Properties.QueueName),
    ]),
  );
  return [...resourcesOf(template, 'AWS::SNS::Subscription').values()]
    .filter((subscription) => {
      expect(subscription.Properties).toMatchObject({
        Protocol: 'sqs',
        FilterPolicyScope: 'MessageBody',
        RawMessageDelivery: false,
      });
      return matchesFilterPolicy(subscription.Properties.FilterPolicy, body);
    })
    .map((subscription) => queueNames.get(referencedId(subscription.Properties.Endpoint) ?? '') ?? '?')
    .sort();
}

describe('the transformer', () => {
  it.each(sourceTableNames.flatMap((table) => ingestKeysOf(table).map((key) => [key, table] as const)))(
    'is sent %s only in the queues of the tables built from it',
    (key, table) => {
      const expected = targetsOf(table).map((target) => names.queue('transform', target));
      expect(deliveredTo(pipeline.templates.transformer, names.ingestBucket, key)).toEqual(
        [...expected].sort(),
      );
    },
  );

  it("is sent nothing for the extractor's own state", () => {
    for (const table of sourceTableNames) {
      expect(deliveredTo(pipeline.templates.transformer, names.ingestBucket, stateKey(table))).toEqual([]);
    }
  });

  it('subscribes only to the ingest-events topic, which only it may deliver to', () => {
    const template = pipeline.templates.transformer;
    for (const subscription of resourcesOf(template, 'AWS::SNS::Subscription').values()) {
      expect(rendered(subscription.Properties.TopicArn)).toBe(
        `arn:aws:sns:<AWS::Region>:<AWS::AccountId>:${names.ingestTopic}`,
      );
    }
    for (const policy of resourcesOf(template, 'AWS::SQS::QueuePolicy').values()) {
      const statements = (
        policy.Properties.PolicyDocument as { Statement: { Effect: string; Condition?: unknown }[] }
      ).Statement;
      for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
        expect(JSON.stringify(statement.Condition)).toContain(names.ingestTopic);
      }
    }
  });

  it.each(warehouseTableNames)('transforms %s with the environment the transformer expects', (target) => {
    const [, resource] = functionOf(pipeline.templates.transformer, names.functionName('transform', target));
    expect(transformerEnvironment.parse(resolvedEnvironment(resource))).toMatchObject({
      TARGET_TABLE: target,
      INGEST_BUCKET: names.ingestBucket,
      PROCESSED_BUCKET: names.processedBucket,
    });
  });

  it('writes the calendar once deployed, dim_date having no queue to be fed by', () => {
    const template = pipeline.templates.transformer;
    const [, calendar] = functionOf(template, names.functionName('transform', 'dim_date'));
    const triggers = [...resourcesOf(template, 'Custom::Trigger').values()];
    expect(triggers).toHaveLength(1);
    expect(JSON.stringify(triggers[0]?.Properties.HandlerArn)).toContain('TransformdimdateFunction');
    expect(calendar.Properties.FunctionName).toBe(names.functionName('transform', 'dim_date'));
  });

  it("shows what cdk-nag cannot see: the trigger provider's role may invoke the calendar function only, with Lambda's basic execution policy", () => {
    // CDK builds the trigger's provider from plain CfnResources, which cdk-nag's rules pass by
    // (they look for CfnRole and CfnFunction): its findings are held here instead.
    const template = pipeline.templates.transformer;
    const providerRoles = [...resourcesOf(template, 'AWS::IAM::Role').values()].filter((role) =>
      JSON.stringify(role.Properties.ManagedPolicyArns ?? []).includes('AWSLambdaBasicExecutionRole'),
    );
    expect(providerRoles).toHaveLength(1);
    const [role] = providerRoles;
    // AwsSolutions-IAM4 would name this managed policy: logs to any log group of the account.
    expect(role?.Properties.ManagedPolicyArns).toEqual([
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax, not JavaScript's.
      { 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' },
    ]);
    const inline = role?.Properties.Policies as {
      PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] };
    }[];
    const statements = inline.flatMap((policy) => policy.PolicyDocument.Statement);
    expect(statements.map((statement) => [statement.Action].flat())).toEqual([['lambda:InvokeFunction']]);
    // AwsSolutions-IAM5 would name this wildcard: the calendar function's versions only.
    expect([statements[0]?.Resource].flat().map(rendered)).toEqual([
      expect.stringMatching(/^<TransformdimdateFunction[0-9A-F]+>:\*$/),
    ]);
    // The only other role-bearing thing of the stack is each function's own role.
    expect([...resourcesOf(template, 'AWS::IAM::Role').values()]).toHaveLength(
      warehouseTableNames.length + 1,
    );
  });
});

describe('the loader', () => {
  it.each(warehouseTableNames)("is sent %s objects only in that table's queue", (target) => {
    expect(deliveredTo(pipeline.templates.loader, names.processedBucket, processedKeyOf(target))).toEqual([
      names.queue('load', target),
    ]);
  });

  it.each(warehouseTableNames)(
    'loads %s with the environment the loader expects, its warehouse from a secret',
    (target) => {
      const [, resource] = functionOf(pipeline.templates.loader, names.functionName('load', target));
      const environment = resolvedEnvironment(resource);
      expect(loaderEnvironment.parse(environment)).toMatchObject({
        TARGET_TABLE: target,
        PROCESSED_BUCKET: names.processedBucket,
        WAREHOUSE_SECRET_ARN: `<${onlyId(pipeline.templates.loader, 'AWS::SecretsManager::Secret')}>`,
        LOAD_MAX_RECEIVE_COUNT: stageSettings.load.maxReceiveCount,
      });
    },
  );
});

/**
 * The IAM actions of the AWS calls the `totes` command makes, read from the SDK commands and
 * paginators its source imports (a batch call needs its single action; listing objects,
 * `s3:ListBucket`).
 */
function cliActions(): string[] {
  const root = new URL('../../packages/cli/src/', import.meta.url);
  const prefixes: Readonly<Record<string, string>> = {
    'cloudwatch-logs': 'logs',
    'secrets-manager': 'secretsmanager',
  };
  const actions = new Set<string>();
  // `doctor`'s local checks ask the local emulator for its queues, never a deployment.
  const localOnly = new Set(['doctor/local-checks.ts']);
  for (const file of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    if (!file.endsWith('.ts') || localOnly.has(file)) continue;
    const source = readFileSync(new URL(file, root), 'utf8');
    for (const [, imported = '', client = ''] of source.matchAll(
      /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z0-9-]+)'/g,
    )) {
      for (const name of imported.split(',').map((part) => part.trim().replace(/^type\s+/, ''))) {
        const call = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1];
        if (!call) continue;
        const action = call.replace(/Batch$/, '');
        // IAM names two S3 calls otherwise: listing is `ListBucket`, and a HEAD needs `GetObject`.
        const iamNames: Readonly<Record<string, string>> = {
          ListObjectsV2: 'ListBucket',
          HeadObject: 'GetObject',
        };
        actions.add(`${prefixes[client] ?? client}:${iamNames[action] ?? action}`);
      }
    }
  }
  return [...actions].sort();
}

describe.each([
  ['extract', sourceTableNames, 'INGEST_TOPIC_ARN', names.ingestTopic],
  ['transform', warehouseTableNames, 'PROCESSED_TOPIC_ARN', names.processedTopic],
] as const)('the %s functions, finding an output already written', (stage, tables, variable, topic) => {
  it(`announce it again to ${topic}, which alone they may publish to, through SNS with the topics' key`, () => {
    const template = stageTemplate(stage);
    const topicArn = `arn:aws:sns:<AWS::Region>:<AWS::AccountId>:${topic}`;
    for (const table of tables) {
      const [, resource] = functionOf(template, names.functionName(stage, table as never));
      expect(resolvedEnvironment(resource)[variable]).toBe(topicArn);
      const statements = statementsOf(template, resource);
      const published = statements.filter((s) => s.actions.includes('sns:Publish'));
      expect(published).toEqual([{ actions: ['sns:Publish'], resources: [topicArn] }]);
      expect(statements.filter((s) => s.actions.some((action) => action.startsWith('kms:')))).toEqual([
        {
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['arn:aws:kms:<AWS::Region>:<AWS::AccountId>:key/*'],
        },
      ]);
    }
    const environment = resolvedEnvironment(
      functionOf(template, names.functionName(stage, tables[0] as never))[1],
    );
    if (stage === 'extract') expect(extractorEnvironment.parse(environment).ingestTopicArn).toBe(topicArn);
    else expect(transformerEnvironment.parse(environment).PROCESSED_TOPIC_ARN).toBe(topicArn);
  });

  it("allow the topics' key only by its alias, through SNS", () => {
    const template = stageTemplate(stage);
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toContain(`"kms:ResourceAliases":"alias/${names.environment}-totes-topics"`);
    expect(policies).toContain('"kms:ViaService"');
  });
});

describe('the reconciler', () => {
  const template = () => pipeline.templates.reconciler;
  const reconciler = () => functionOf(template(), `${names.environment}-reconcile`);

  it('runs on the schedule of the context, every 15 minutes unless told otherwise', () => {
    const [, schedule] = named(
      template(),
      'AWS::Scheduler::Schedule',
      'Name',
      `${names.environment}-reconcile`,
    );
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: 'rate(15 minutes)',
      State: 'DISABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
    const target = schedule.Properties.Target as { Arn: unknown };
    expect(rendered(target.Arn)).toBe(`<${reconciler()[0]}>`);
    const hourly = synthesizePipeline({ reconcileSchedule: 'rate(1 hour)' });
    try {
      const [, other] = named(
        hourly.templates.reconciler,
        'AWS::Scheduler::Schedule',
        'Name',
        'prod-reconcile',
      );
      expect(other.Properties.ScheduleExpression).toBe('rate(1 hour)');
    } finally {
      hourly.remove();
    }
  });

  it("is configured as its own schema reads it, with a grace longer than each stage's timeout", () => {
    const environment: Record<string, string> = {
      ...resolvedEnvironment(reconciler()[1]),
      AWS_REGION: 'eu-west-2',
    };
    // As Lambda would see it: the stack's account, region and URL suffix filled in.
    const deployed = Object.fromEntries(
      Object.entries(environment).map(([key, value]) => [
        key,
        value
          .replace('<AWS::Region>', 'eu-west-2')
          .replace('<AWS::URLSuffix>', 'amazonaws.com')
          .replace('<AWS::AccountId>', '123456789012'),
      ]),
    );
    const parsed = reconcilerEnvironment.parse(deployed);
    expect(parsed.names.ingestBucket).toBe('prod-totes-ingest-123456789012-eu-west-2');
    expect(parsed.names.processedBucket).toBe('prod-totes-processed-123456789012-eu-west-2');
    expect(parsed.names.queue('load', 'fact_sales_order')).toBe(names.queue('load', 'fact_sales_order'));
    expect(environment.QUEUE_URL_PREFIX).toBe('https://sqs.<AWS::Region>.<AWS::URLSuffix>/<AWS::AccountId>/');
    expect(environment.WAREHOUSE_SECRET_ARN).toContain(`secret:${names.environment}/totes/warehouse`);
    for (const stage of ['transform', 'load'] as const) {
      expect(reconcileGraceSeconds(stage)).toBeGreaterThanOrEqual(stageSettings[stage].timeoutSeconds);
    }
  });

  it("may list both buckets, send to the transform and load queues, read their depth and every DLQ's, and read the warehouse secret, nothing else", () => {
    const statements = statementsOf(template(), reconciler()[1]);
    const granted = (action: string) =>
      statements.filter((s) => s.actions.includes(action)).flatMap((s) => s.resources);
    expect(granted('s3:ListBucket').sort()).toEqual(
      [names.ingestBucket, names.processedBucket].map((bucket) => `arn:aws:s3:::${bucket}`).sort(),
    );
    expect(granted('sqs:SendMessage').sort()).toEqual(
      resources.queues
        .filter((queue) => queue.stage !== 'extract')
        .map((queue) => `arn:aws:sqs:<AWS::Region>:<AWS::AccountId>:${queue.name}`)
        .sort(),
    );
    expect(granted('secretsmanager:GetSecretValue')).toEqual([
      `arn:aws:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${names.environment}/totes/warehouse-??????`,
    ]);
    const actions = new Set(statements.flatMap((s) => s.actions));
    expect([...actions].filter((action) => action.startsWith('s3:'))).toEqual(['s3:ListBucket']);
    expect(granted('sqs:GetQueueAttributes').sort()).toEqual(
      resources.queues
        .flatMap((queue) => (queue.stage === 'extract' ? [] : [queue.name]).concat(queue.deadLetterQueue))
        .map((name) => `arn:aws:sqs:<AWS::Region>:<AWS::AccountId>:${name}`)
        .sort(),
    );
    expect([...actions].filter((action) => action.startsWith('sqs:')).sort()).toEqual([
      'sqs:GetQueueAttributes',
      'sqs:SendMessage',
    ]);
    for (const statement of statements) expect(statement.resources).not.toContain('*');
  });

  it('reads an existing warehouse secret by its complete ARN when given one', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:warehouse-AbCdEf';
    const given = synthesizePipeline({ warehouseSecretArn: arn });
    try {
      const [, resource] = functionOf(given.templates.reconciler, 'prod-reconcile');
      expect(environmentOf(resource).WAREHOUSE_SECRET_ARN).toBe(arn);
      const secrets = statementsOf(given.templates.reconciler, resource).filter((s) =>
        s.actions.includes('secretsmanager:GetSecretValue'),
      );
      expect(secrets.flatMap((s) => s.resources)).toEqual([arn]);
    } finally {
      given.remove();
    }
  });
});

describe('monitoring', () => {
  const alarms = () => [...resourcesOf(pipeline.templates.monitoring, 'AWS::CloudWatch::Alarm').values()];
  /** The alarms on `metricName` with exactly these dimensions, in whatever order. */
  const alarmOn = (metricName: string, dimension: Record<string, string>) =>
    alarms().filter(
      (alarm) =>
        alarm.Properties.MetricName === metricName &&
        JSON.stringify(
          ((alarm.Properties.Dimensions ?? []) as { Name: string; Value: string }[])
            .map(({ Name, Value }) => [Name, Value])
            .sort(),
        ) === JSON.stringify(Object.entries(dimension).sort()),
    );
  const actionsOf = (alarm: Resource | undefined) =>
    ((alarm?.Properties.AlarmActions ?? []) as unknown[]).map(rendered);
  const alertsTopic = `arn:aws:sns:<AWS::Region>:<AWS::AccountId>:${names.alertsTopic}`;

  const composites = () => [
    ...resourcesOf(pipeline.templates.monitoring, 'AWS::CloudWatch::CompositeAlarm').values(),
  ];
  /** The pipeline's composite alarm, and the logical ids of the alarms its rule names. */
  const pipelineComposite = () => {
    const composite = composites().find(
      (alarm) => alarm.Properties.AlarmName === `${names.environment} pipeline fails`,
    );
    const rule = JSON.stringify(composite?.Properties.AlarmRule);
    const members = [...resourcesOf(pipeline.templates.monitoring, 'AWS::CloudWatch::Alarm').keys()].filter(
      (id) => rule.includes(`"${id}"`),
    );
    return { composite, members };
  };
  const idOf = (alarm: Resource | undefined) =>
    [...resourcesOf(pipeline.templates.monitoring, 'AWS::CloudWatch::Alarm')].find(
      ([, candidate]) => candidate === alarm,
    )?.[0];
  /** The alarm that reads a declared metric, with its namespace. */
  const alarmsOnDeclared = (reference: { namespace: string; metricName: string; dimensions: object }) =>
    alarmOn(reference.metricName, reference.dimensions as Record<string, string>).filter(
      (alarm) => alarm.Properties.Namespace === reference.namespace,
    );

  it('e-mails once for the whole pipeline: one composite alarm over every alarm of its stages, which e-mail nothing themselves', () => {
    expect(composites()).toHaveLength(1);
    const { composite, members } = pipelineComposite();
    expect(actionsOf(composite)).toEqual([alertsTopic]);
    expect(((composite?.Properties.OKActions ?? []) as unknown[]).map(rendered)).toEqual([alertsTopic]);
    expect(JSON.stringify(composite?.Properties.AlarmRule)).toContain('ALARM(');
    // Its description says what it gathers.
    const description = String(composite?.Properties.AlarmDescription);
    for (const part of [
      'dead letters of each stage',
      'extract request',
      'quarantined',
      'staler than the SLA',
    ]) {
      expect(description).toContain(part);
    }
    expect(description.length).toBeLessThanOrEqual(1024);
    // The dead letters of every stage are in it.
    for (const stage of stageNames) {
      const [alarm] = alarmsOnDeclared(deadLettersMetricOf(stage));
      expect(members).toContain(idOf(alarm));
    }
    // A member alarm has no action of its own: one outage, one e-mail.
    for (const [id, alarm] of resourcesOf(pipeline.templates.monitoring, 'AWS::CloudWatch::Alarm')) {
      if (members.includes(id)) expect(alarm.Properties.AlarmActions).toBeUndefined();
      else expect(actionsOf(alarm)).toEqual([alertsTopic]);
    }
  });

  it("alarms once per stage when any of its DLQs holds a message, on the reconciler's count, saying how to list and move them back", () => {
    // No alarm reads a queue's own depth any more: the reconciler counts the DLQs.
    for (const queue of resources.queues) {
      expect(alarmOn('ApproximateNumberOfMessagesVisible', { QueueName: queue.deadLetterQueue })).toEqual([]);
    }
    for (const stage of stageNames) {
      const [alarm, ...others] = alarmsOnDeclared(deadLettersMetricOf(stage));
      expect(others).toEqual([]);
      expect(alarm?.Properties).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        Statistic: 'Maximum',
        // Published only when some DLQ holds messages: no data is a quiet stage.
        TreatMissingData: 'notBreaching',
        // The reconciler's interval, two of them: a late run does not make it flap.
        Period: 15 * 60,
        EvaluationPeriods: 2,
        DatapointsToAlarm: 1,
      });
      const description = String(alarm?.Properties.AlarmDescription);
      expect(description).toContain(`totes dlq --aws ${names.environment} --stage ${stage}`);
      expect(description).toContain(`totes dlq redrive --aws ${names.environment} --stage ${stage}`);
      expect(description.length).toBeLessThanOrEqual(1024);
    }
    const hourly = synthesizePipeline({ reconcileSchedule: 'rate(1 hour)' });
    try {
      const periods = [...resourcesOf(hourly.templates.monitoring, 'AWS::CloudWatch::Alarm').values()]
        .filter((alarm) => alarm.Properties.MetricName === 'dead_letters')
        .map((alarm) => alarm.Properties.Period);
      expect(periods).toEqual([3600, 3600, 3600]);
    } finally {
      hourly.remove();
    }
  });

  it('reads the interval of a rate schedule in minutes, and an hour for a cron one', () => {
    expect(scheduleIntervalMinutes('rate(15 minutes)')).toBe(15);
    expect(scheduleIntervalMinutes('rate(1 minute)')).toBe(1);
    expect(scheduleIntervalMinutes('rate(2 hours)')).toBe(120);
    expect(scheduleIntervalMinutes('rate(1 day)')).toBe(1440);
    expect(scheduleIntervalMinutes('cron(0 * * * ? *)')).toBe(60);
  });

  it('raises the heartbeat when the extraction schedules make no attempt, missing data counting as breaching', () => {
    const [heartbeat, ...others] = alarmOn('InvocationAttemptCount', { ScheduleGroup: 'prod-totes-extract' });
    expect(others).toEqual([]);
    expect(heartbeat?.Properties).toMatchObject({
      Namespace: 'AWS/Scheduler',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      Statistic: 'Sum',
      EvaluationPeriods: 3,
      TreatMissingData: 'breaching',
      // The schedules are off until configured: a heartbeat then would only say so.
      ActionsEnabled: false,
    });
    const on = synthesizePipeline({ schedules: 'on' });
    try {
      const alarmsOn = [...resourcesOf(on.templates.monitoring, 'AWS::CloudWatch::Alarm')];
      const [id, enabled] =
        alarmsOn.find(([, alarm]) => alarm.Properties.MetricName === 'InvocationAttemptCount') ?? [];
      expect(enabled?.Properties).toMatchObject({ TreatMissingData: 'breaching', ActionsEnabled: true });
      // With the schedules on, it belongs to the pipeline's e-mail, which says so.
      const composite = [
        ...resourcesOf(on.templates.monitoring, 'AWS::CloudWatch::CompositeAlarm').values(),
      ].find((alarm) => alarm.Properties.AlarmName === 'prod pipeline fails');
      expect(JSON.stringify(composite?.Properties.AlarmRule)).toContain(`"${id}"`);
      expect(String(composite?.Properties.AlarmDescription)).toContain('heartbeat');
    } finally {
      on.remove();
    }
  });

  it("alarms on the extract requests' age and the schedules' dropped and undelivered invocations; a failing extraction through its DLQ", () => {
    const { members } = pipelineComposite();
    const [deadLetters] = alarmsOnDeclared(deadLettersMetricOf('extract'));
    for (const table of sourceTableNames) {
      const [age] = alarmOn('ApproximateAgeOfOldestMessage', { QueueName: names.queue('extract', table) });
      expect(age?.Properties).toMatchObject({
        Threshold: 2 * Number(cdkJson.context.freshnessSlaSeconds),
        Statistic: 'Maximum',
      });
      // A request that keeps failing is dead-lettered after its retries (150 s of backoff), and
      // the extract stage's dead-letter alarm says so at the reconciler's next run.
      const declared = metricOf('extract', 'extract_failures', table);
      expect(alarmOn(declared.metricName, declared.dimensions)).toEqual([]);
      expect(members).toEqual(expect.arrayContaining([idOf(age), idOf(deadLetters)]));
    }
    const [dropped] = alarmOn('InvocationDroppedCount', { ScheduleGroup: 'prod-totes-extract' });
    const [undelivered] = alarmOn('ApproximateNumberOfMessagesVisible', {
      QueueName: 'prod-extract-schedules-dlq',
    });
    expect(members).toEqual(expect.arrayContaining([idOf(dropped), idOf(undelivered)]));
  });

  it('alarms on Lambda throttling in the region', () => {
    const [throttles] = alarms().filter(
      (alarm) => alarm.Properties.MetricName === 'Throttles' && alarm.Properties.Dimensions === undefined,
    );
    expect(throttles?.Properties).toMatchObject({ Namespace: 'AWS/Lambda', Statistic: 'Sum', Threshold: 0 });
    expect(actionsOf(throttles)).toEqual([alertsTopic]);
  });

  it('alarms when a table fed by event tables is staler than the SLA, on one stage-wide metric', () => {
    expect(freshnessWatchedTables()).toEqual([
      'fact_sales_order',
      'fact_purchase_order',
      'fact_payment',
      'dim_transaction',
    ]);
    const { members } = pipelineComposite();
    const [alarm, ...others] = alarmsOnDeclared(stageWideMetricOf('load', 'freshness_seconds'));
    expect(others).toEqual([]);
    expect(alarm?.Properties).toMatchObject({
      Namespace: 'TerrificTotes',
      Dimensions: [{ Name: 'service', Value: 'load' }],
      Threshold: cdkJson.context.freshnessSlaSeconds,
      Statistic: 'Maximum',
      TreatMissingData: 'notBreaching',
    });
    expect(members).toContain(idOf(alarm));
    const description = String(alarm?.Properties.AlarmDescription);
    for (const table of freshnessWatchedTables()) {
      expect(description).toContain(table);
      // No alarm a table any more.
      const freshness = metricOf('load', 'freshness_seconds', table);
      expect(alarmOn(freshness.metricName, freshness.dimensions)).toEqual([]);
    }
  });

  it('keeps to a known number of alarm metrics, each one billed (docs/cost.md)', () => {
    const metricCount = alarms().reduce(
      (count, alarm) =>
        count +
        (Array.isArray(alarm.Properties.Metrics)
          ? (alarm.Properties.Metrics as { MetricStat?: unknown }[]).filter((m) => m.MetricStat).length
          : 1),
      0,
    );
    expect(metricCount).toBe(
      // dead letters of each stage; the extract queue's oldest request; quarantine; freshness.
      stageNames.length +
        1 +
        1 +
        1 +
        // heartbeat, dropped, schedules DLQ, throttles, re-queued, reconciler errors + its DLQ,
        // the analytics refresh's errors + its DLQ.
        9,
    );
    expect(metricCount).toBe(15);
    expect(composites()).toHaveLength(1);
  });

  it('alarms as soon as any transformer quarantines a row, on one stage-wide metric, saying how to list them and that a source fix releases them', () => {
    const [alarm, ...others] = alarmsOnDeclared(stageWideMetricOf('transform', 'rows_quarantined'));
    expect(others).toEqual([]);
    expect(alarm?.Properties).toMatchObject({
      Namespace: 'TerrificTotes',
      MetricName: 'rows_quarantined',
      Dimensions: [{ Name: 'service', Value: 'transform' }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Statistic: 'Sum',
      TreatMissingData: 'notBreaching',
    });
    expect(pipelineComposite().members).toContain(idOf(alarm));
    const description = String(alarm?.Properties.AlarmDescription);
    expect(description).toContain('totes quarantine');
    expect(description).toContain('no redrive');
    expect(description.length).toBeLessThanOrEqual(1024);
    for (const table of warehouseTableNames) {
      const quarantined = metricOf('transform', 'rows_quarantined', table);
      expect(alarmOn(quarantined.metricName, quarantined.dimensions)).toEqual([]);
    }
  });

  /** The EMF documents written while `act` runs. */
  const emfOf = (act: () => void) => {
    const written: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      act();
    } finally {
      write.mockRestore();
    }
    return written
      .join('')
      .split('\n')
      .filter((line) => line.includes('CloudWatchMetrics'))
      .map(
        (line) =>
          JSON.parse(line) as Record<string, unknown> & {
            _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: unknown[] }[] };
          },
      );
  };
  /** The dimensions a document gives its metrics, with their values. */
  const dimensionsOf = (document: ReturnType<typeof emfOf>[number]) => {
    const [directive] = document._aws.CloudWatchMetrics;
    return Object.fromEntries((directive?.Dimensions[0] ?? []).map((name) => [name, document[name]]));
  };

  it('watches quarantined rows under the namespace and dimensions the transformers publish them with, for the whole stage', () => {
    const documents = emfOf(() => {
      const metrics = createMetrics('transform', 'fact_sales_order');
      metrics.add('rows_in', 5);
      metrics.add('rows_quarantined', 1);
      metrics.flush();
    });
    const wide = stageWideMetricOf('transform', 'rows_quarantined');
    const [perTable, stageWide, ...others] = documents;
    expect(others).toEqual([]);
    expect(perTable && dimensionsOf(perTable)).toEqual(
      metricOf('transform', 'rows_quarantined', 'fact_sales_order').dimensions,
    );
    // The stage-wide line holds the alarmed metric alone: no other metric is billed twice.
    expect(stageWide?._aws.CloudWatchMetrics[0]?.Namespace).toBe(wide.namespace);
    expect(stageWide?._aws.CloudWatchMetrics[0]?.Metrics).toEqual([
      { Name: 'rows_quarantined', Unit: 'Count' },
    ]);
    expect(stageWide && dimensionsOf(stageWide)).toEqual(wide.dimensions);
    expect(stageWide?.rows_quarantined).toBe(1);
  });

  it('watches freshness under the namespace and dimensions the loaders of the watched tables publish it with, for the whole stage', () => {
    const load = (table: TargetTableName) =>
      emfOf(() => {
        const metrics = createMetrics('load', table);
        // As the loader does: its counts, then the freshness of what it loaded.
        metrics.add('rows_inserted', 2);
        metrics.add('freshness_seconds', 3);
        metrics.flush();
      });
    const wide = stageWideMetricOf('load', 'freshness_seconds');
    const [perTable, stageWide, ...others] = load('fact_payment');
    expect(others).toEqual([]);
    expect(perTable && dimensionsOf(perTable)).toEqual(
      metricOf('load', 'freshness_seconds', 'fact_payment').dimensions,
    );
    expect(stageWide?._aws.CloudWatchMetrics[0]?.Metrics).toEqual([
      { Name: 'freshness_seconds', Unit: 'Seconds' },
    ]);
    expect(stageWide && dimensionsOf(stageWide)).toEqual(wide.dimensions);
    expect(stageWide?.freshness_seconds).toBe(3);
    // A dimension's freshness is as old as its last edit: it stays out of the stage-wide metric.
    expect(load('dim_staff')).toHaveLength(1);
  });

  it('alarms as soon as the reconciler re-queues an object, and when it fails', () => {
    const requeued = metricOf('reconcile', 'objects_requeued');
    const [alarm, ...others] = alarmOn(requeued.metricName, requeued.dimensions);
    expect(others).toEqual([]);
    expect(alarm?.Properties).toMatchObject({
      Namespace: 'TerrificTotes',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Statistic: 'Sum',
      TreatMissingData: 'notBreaching',
    });
    expect(actionsOf(alarm)).toEqual([alertsTopic]);
    expect(String(alarm?.Properties.AlarmDescription)).toContain(
      `/aws/lambda/${names.environment}-reconcile`,
    );
    const [errors] = alarms().filter((candidate) =>
      JSON.stringify(candidate.Properties.Metrics ?? []).includes(`"${names.environment}-reconcile"`),
    );
    expect(actionsOf(errors)).toEqual([alertsTopic]);
    // Its errors, or its schedule's undelivered invocations.
    expect(JSON.stringify(errors?.Properties.Metrics)).toContain('prod-reconcile-schedules-dlq');
  });

  it("alarms when the dashboard's analytics refresh fails or its schedule cannot invoke it", () => {
    const [errors, ...others] = alarms().filter((candidate) =>
      JSON.stringify(candidate.Properties.Metrics ?? []).includes(`"${names.environment}-analytics-refresh"`),
    );
    expect(others).toEqual([]);
    expect(actionsOf(errors)).toEqual([alertsTopic]);
    expect(JSON.stringify(errors?.Properties.Metrics)).toContain('prod-analytics-refresh-schedules-dlq');
    expect(String(errors?.Properties.AlarmDescription)).toContain(
      `/aws/lambda/${names.environment}-analytics-refresh`,
    );
  });

  it('watches objects_requeued under the namespace and dimensions the reconciler publishes it with', () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const metrics = createMetrics('reconcile');
      metrics.add('objects_requeued', 1);
      metrics.flush();
    } finally {
      write.mockRestore();
    }
    const emitted = JSON.parse(lines.join('')) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] };
    };
    const [declaration] = emitted._aws.CloudWatchMetrics;
    const requeued = metricOf('reconcile', 'objects_requeued');
    expect(declaration?.Namespace).toBe(requeued.namespace);
    expect(
      Object.fromEntries((declaration?.Dimensions[0] ?? []).map((name) => [name, emitted[name]])),
    ).toEqual(requeued.dimensions);
  });

  it('gives the operator two managed policies with what `totes … --aws` needs, naming each queue and log group', () => {
    const policies = [...resourcesOf(pipeline.templates.monitoring, 'AWS::IAM::ManagedPolicy').values()];
    expect(policies.map((policy) => rendered(policy.Properties.ManagedPolicyName)).sort()).toEqual([
      `${names.environment}-totes-operator-<AWS::Region>`,
      `${names.environment}-totes-operator-logs-<AWS::Region>`,
    ]);
    const statements = policies.flatMap(
      (policy) =>
        (
          policy.Properties.PolicyDocument as {
            Statement: { Sid: string; Effect: string; Action: string | string[]; Resource: unknown }[];
          }
        ).Statement,
    );
    const summary = statements.map((statement) => ({
      sid: statement.Sid,
      effect: statement.Effect,
      actions: [statement.Action].flat().sort(),
      resources: [statement.Resource].flat().map(rendered).sort(),
    }));
    const queueArns = resources.queues
      .flatMap((queue) => [queue.name, queue.deadLetterQueue])
      .map((name) => `arn:aws:sqs:<AWS::Region>:<AWS::AccountId>:${name}`)
      .sort();
    // One extract function for every table; one function a table after it.
    const functionNames = [
      ...new Set(
        stageNames.flatMap((stage) =>
          (stage === 'extract' ? sourceTableNames : warehouseTableNames).map((table) =>
            names.functionName(stage, table as never),
          ),
        ),
      ),
    ];
    expect(summary).toEqual([
      {
        sid: 'Queues',
        effect: 'Allow',
        actions: cliActions().filter((action) => action.startsWith('sqs:')),
        resources: queueArns,
      },
      {
        sid: 'StoredObjects',
        effect: 'Allow',
        actions: ['s3:ListBucket'],
        resources: [`arn:aws:s3:::${names.ingestBucket}`, `arn:aws:s3:::${names.processedBucket}`],
      },
      {
        sid: 'ExtractionState',
        effect: 'Allow',
        // `state` reads it; `state reset` deletes it.
        actions: ['s3:DeleteObject', 's3:GetObject'],
        resources: [`arn:aws:s3:::${names.ingestBucket}/${stateKey('sales_order').replace(/[^/]+$/, '*')}`],
      },
      {
        sid: 'GivenUpMarkers',
        effect: 'Allow',
        actions: ['s3:PutObject'],
        resources: [`arn:aws:s3:::${names.ingestBucket}/${givenUpPrefix}*`],
      },
      {
        sid: 'FailureLogs',
        effect: 'Allow',
        actions: ['logs:FilterLogEvents'],
        resources: functionNames
          .map((name) => `arn:aws:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/lambda/${name}`)
          .sort(),
      },
      {
        // `doctor --aws`: the six stacks it checks, by name (CloudFormation appends an id).
        sid: 'DoctorStacks',
        effect: 'Allow',
        actions: ['cloudformation:DescribeStacks'],
        resources: deploymentNames(names.environment)
          .stacks.map((stack) => `arn:aws:cloudformation:<AWS::Region>:<AWS::AccountId>:stack/${stack}/*`)
          .sort(),
      },
      {
        // The two secrets the stacks create (Secrets Manager appends six characters to the name).
        sid: 'DoctorSecrets',
        effect: 'Allow',
        actions: ['secretsmanager:GetSecretValue'],
        resources: deploymentNames(names.environment)
          .secrets.map(
            ({ secret }) => `arn:aws:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${secret}-??????`,
          )
          .sort(),
      },
      {
        sid: 'DoctorAlertSubscribers',
        effect: 'Allow',
        actions: ['sns:ListSubscriptionsByTopic'],
        resources: [`arn:aws:sns:<AWS::Region>:<AWS::AccountId>:${names.alertsTopic}`],
      },
      {
        // Two listings IAM takes on `*` only; nothing else is allowed on `*`.
        sid: 'DoctorListings',
        effect: 'Allow',
        actions: ['scheduler:ListSchedules', 'sns:ListTopics'],
        resources: ['*'],
      },
    ]);
    // No queue or log group by a prefix that another queue or function could share.
    expect(JSON.stringify(statements.map((statement) => statement.Resource))).not.toMatch(
      /(sqs|lambda\/)[^"]*\*/,
    );
    // Every call the command makes is allowed, and nothing else.
    expect(statements.flatMap((statement) => [statement.Action].flat()).sort()).toEqual(cliActions());
    // IAM takes a managed policy document of 6,144 characters at most, without whitespace.
    for (const policy of policies) {
      const document = JSON.stringify(policy.Properties.PolicyDocument, (_, value) =>
        value && typeof value === 'object' && ('Fn::Join' in value || 'Ref' in value)
          ? rendered(value)
              .replace('<AWS::Region>', 'ap-southeast-1')
              .replace('<AWS::AccountId>', '123456789012')
          : value,
      );
      expect(document.length).toBeLessThanOrEqual(6144);
    }
    pipeline.templates.monitoring.hasOutput('OperatorPolicyArn', {});
    pipeline.templates.monitoring.hasOutput('OperatorLogsPolicyArn', {});
  });

  it('shows the pipeline on a dashboard', () => {
    const [dashboard, ...others] = [
      ...resourcesOf(pipeline.templates.monitoring, 'AWS::CloudWatch::Dashboard').values(),
    ];
    expect(others).toEqual([]);
    // Dashboards are global to the account: the region keeps two deployments' apart.
    expect(rendered(dashboard?.Properties.DashboardName)).toBe('prod-totes-<AWS::Region>');
    // Within CloudWatch's free tier of 50 metrics a dashboard.
    const body = rendered(dashboard?.Properties.DashboardBody);
    expect((body.match(/"AWS\/SQS"|"TerrificTotes"/g) ?? []).length).toBeLessThanOrEqual(50);
  });
});
