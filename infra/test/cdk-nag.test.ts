import { inputPrefixes, sourceTableNames, warehouseTableNames } from '@totes/pipeline';
import { App, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineApp } from '../src/index';
import { cdkJson, type SynthesizedPipeline, synthesizePipeline } from './synthesized-pipeline';

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

describe('cdk-nag AwsSolutions checks', () => {
  let pipeline: SynthesizedPipeline;
  beforeAll(() => {
    // Synthesis runs the checks (and CloudFormation's own validation) and throws on an error.
    pipeline = synthesizePipeline();
  });
  afterAll(() => pipeline?.remove());

  it('find nothing unacknowledged in any stack, errors or warnings', () => {
    const { violations } = new AwsSolutionsChecks().validateScope(pipeline.app);
    expect(
      violations.map((violation) => ({
        rule: violation.ruleName,
        severity: violation.severity,
        at: violation.violatingResources.map((resource) => resource.constructPath),
      })),
    ).toEqual([]);
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
      // Object prefixes of the function's own table: each extractor's, each transformer's inputs
      // and output, each loader's.
      'AwsSolutions-IAM5':
        sourceTableNames.length +
        warehouseTableNames.reduce((grants, target) => grants + inputPrefixes(target).length + 1, 0) +
        warehouseTableNames.length,
      // CDK's numeric ObjectSizeGreaterThan, on the two data buckets.
      'CloudFormation-Validate::W9003': 2,
    });
    for (const { id } of byRule.get('AwsSolutions-IAM5') ?? []) {
      expect(id).toMatch(
        /^AwsSolutions-IAM5\[Resource::arn:<AWS::Partition>:s3:::prod-totes-(ingest|processed)\/[a-z_]+\/(snapshots\/)?\*\]$/,
      );
    }
  });

  it('fail the synthesis on an unacknowledged finding', () => {
    const app = new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
    const { storage } = pipelineApp(app);
    new Bucket(storage, 'Unlogged');
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });
});
