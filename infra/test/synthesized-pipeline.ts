import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type PipelineStacks, pipelineApp } from '../src/index';

/** The repository's `cdk.json`: the context (settings and feature flags) the CLI gives the app. */
export const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  readonly app: string;
  readonly context: Readonly<Record<string, unknown>>;
};

/**
 * Context placing the extractors and loaders in a VPC, as an operator gives it on the command
 * line (`-c vpcSubnetIds=subnet-…,subnet-…`): two subnets, one with an id of the older length.
 */
export const databaseVpcContext = {
  vpcId: 'vpc-0123456789abcdef0',
  vpcSubnetIds: 'subnet-0123456789abcdef0,subnet-89abcdef',
  vpcSecurityGroupIds: 'sg-0fedcba9876543210,sg-01234567',
} as const;

/** A synthesized deployment: its stacks, their templates, and the app for further checks. */
export interface SynthesizedPipeline extends PipelineStacks {
  readonly app: App;
  readonly templates: {
    readonly storage: Template;
    readonly extractor: Template;
    readonly transformer: Template;
    readonly loader: Template;
    readonly reconciler: Template;
    readonly monitoring: Template;
  };
  /** Removes the cloud assembly. */
  remove(): void;
}

/**
 * Synthesizes the pipeline app in memory with the repository's `cdk.json` context, the
 * environment `prod` (not deployable: no account or region) and `context`, as `cdk synth`
 * would, cdk-nag included. Bundling is skipped (as `cdk synth
 * --exclusively` may) so the templates take a second: the real bundles are built by the test
 * that runs the CLI.
 */
export function synthesizePipeline(context: Readonly<Record<string, unknown>> = {}): SynthesizedPipeline {
  const outdir = mkdtempSync(join(tmpdir(), 'totes-infra-'));
  const app = new App({
    outdir,
    context: { ...cdkJson.context, environment: 'prod', 'aws:cdk:bundling-stacks': [], ...context },
  });
  const stacks = pipelineApp(app);
  app.synth();
  return {
    ...stacks,
    app,
    templates: {
      storage: Template.fromStack(stacks.storage),
      extractor: Template.fromStack(stacks.extractor),
      transformer: Template.fromStack(stacks.transformer),
      loader: Template.fromStack(stacks.loader),
      reconciler: Template.fromStack(stacks.reconciler),
      monitoring: Template.fromStack(stacks.monitoring),
    },
    remove: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** A CloudFormation resource of a template. */
export interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DependsOn?: readonly string[];
}

/** The resources of one type in a template, by logical id. */
export function resourcesOf(template: Template, type: string): ReadonlyMap<string, Resource> {
  return new Map(Object.entries(template.findResources(type) as Record<string, Resource>));
}

/** The logical id a `{ Ref }` or `{ Fn::GetAtt }` points at, if the value is one. */
export function referencedId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const reference = value as { Ref?: unknown; 'Fn::GetAtt'?: unknown };
  if (typeof reference.Ref === 'string') return reference.Ref;
  const getAtt = reference['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

/**
 * A value of a template as the text CloudFormation would make of it, with `{ Ref: AWS::Partition }`
 * as `aws` and any other reference as `<LogicalId>`: enough to compare ARNs built with `Fn::Join`.
 */
export function rendered(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return String(value);
  const id = referencedId(value);
  if (id) return id === 'AWS::Partition' ? 'aws' : `<${id}>`;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join) return join[1].map(rendered).join(join[0]);
  return JSON.stringify(value);
}
