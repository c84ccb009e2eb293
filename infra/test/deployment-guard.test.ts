import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireDeploymentRuleId } from '../src/index';
import { type SynthesizedPipeline, synthesizePipeline } from './synthesized-pipeline';

/** The warnings the app's synthesis attached to the app itself (what `cdk deploy` prints). */
function appWarnings(pipeline: SynthesizedPipeline): string[] {
  return pipeline.app.node.metadata
    .filter((entry) => entry.type === 'aws:cdk:warning')
    .map((entry) => String(entry.data));
}

const stacksOf = (pipeline: SynthesizedPipeline) => Object.values(pipeline.templates);

describe('a deployment named in full (environment, account, region, alert e-mail)', () => {
  let pipeline: SynthesizedPipeline;
  beforeAll(() => {
    pipeline = synthesizePipeline({
      account: '123456789012',
      region: 'eu-west-2',
      alertEmail: 'ops@example.com',
    });
  });
  afterAll(() => pipeline?.remove());

  it('may be deployed: no stack carries the rule that refuses it', () => {
    for (const template of stacksOf(pipeline)) {
      expect(Object.keys(template.toJSON().Rules ?? {})).not.toContain(requireDeploymentRuleId);
    }
  });

  it('is pinned to that account and region', () => {
    for (const stack of [pipeline.storage, pipeline.monitoring, pipeline.extractor]) {
      expect({ account: stack.account, region: stack.region }).toEqual({
        account: '123456789012',
        region: 'eu-west-2',
      });
    }
  });

  it('warns about nothing', () => {
    expect(appWarnings(pipeline)).toEqual([]);
  });
});

describe('a synthesis without account and region, or without an alert e-mail', () => {
  let pipeline: SynthesizedPipeline;
  beforeAll(() => {
    pipeline = synthesizePipeline();
  });
  afterAll(() => pipeline?.remove());

  it('gives every stack a rule that always fails, saying what to give', () => {
    for (const template of stacksOf(pipeline)) {
      const rule = template.toJSON().Rules?.[requireDeploymentRuleId] as {
        Assertions: { Assert: unknown; AssertDescription: string }[];
      };
      expect(rule.Assertions).toEqual([
        {
          Assert: { 'Fn::Equals': ['deployable', 'no'] },
          AssertDescription: expect.stringContaining(
            '-c environment=<name> -c account=<12 digits> -c region=<region>',
          ),
        },
      ]);
    }
  });

  it('says loudly that nobody is subscribed to the alerts', () => {
    const warnings = appWarnings(pipeline);
    expect(warnings.some((warning) => warning.includes('nobody is subscribed to the alerts topic'))).toBe(
      true,
    );
    expect(warnings.some((warning) => warning.includes('Synthesized without a deployment'))).toBe(true);
  });
});
