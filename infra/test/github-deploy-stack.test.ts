import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rendered, type SynthesizedPipeline, synthesizePipeline } from './synthesized-pipeline';

describe('the GitHub deploy roles (stack totes-github-deploy)', () => {
  let pipeline: SynthesizedPipeline;
  beforeAll(() => {
    pipeline = synthesizePipeline({ githubRepository: 'terrific-totes/pipeline' });
  });
  afterAll(() => pipeline?.remove());

  const template = () => {
    const stack = pipeline.github;
    if (!stack) throw new Error('no GitHub stack with githubRepository given');
    return pipeline.app.synth().getStackByName(stack.stackName).template as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
      Rules?: Record<string, unknown>;
    };
  };
  const roles = () =>
    Object.values(template().Resources).filter((resource) => resource.Type === 'AWS::IAM::Role');
  const role = (name: string) => roles().find((resource) => resource.Properties.RoleName === name);

  it('exists only when the repository is named', () => {
    const plain = synthesizePipeline();
    try {
      expect(plain.github).toBeUndefined();
      expect(plain.app.node.tryFindChild('totes-github-deploy')).toBeUndefined();
    } finally {
      plain.remove();
    }
    expect(pipeline.github?.stackName).toBe('totes-github-deploy');
  });

  it("lets only this repository's staging and production environments assume the deploy role, through GitHub's OIDC", () => {
    const deployRole = role('totes-github-deploy');
    if (!deployRole) throw new Error('no role totes-github-deploy');
    const trust = (
      deployRole.Properties.AssumeRolePolicyDocument as {
        Statement: { Action: string; Principal: { Federated: unknown }; Condition: unknown }[];
      }
    ).Statement;
    expect(trust).toHaveLength(1);
    expect(trust[0]?.Action).toBe('sts:AssumeRoleWithWebIdentity');
    expect(rendered(trust[0]?.Principal.Federated)).toMatch(/^<GithubOidc/);
    expect(trust[0]?.Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': [
          'repo:terrific-totes/pipeline:environment:staging',
          'repo:terrific-totes/pipeline:environment:production',
        ],
      },
    });
    const [provider] = Object.values(template().Resources).filter(
      (resource) => resource.Type === 'AWS::IAM::OIDCProvider',
    );
    expect(provider?.Properties).toMatchObject({
      Url: 'https://token.actions.githubusercontent.com',
      ClientIdList: ['sts.amazonaws.com'],
    });
  });

  it('lets the roles do nothing but assume the CDK bootstrap roles (the diff role only the read-only lookup role)', () => {
    const policies = Object.values(template().Resources).filter(
      (resource) => resource.Type === 'AWS::IAM::Policy',
    );
    const statements = policies.flatMap((policy) =>
      (
        policy.Properties.PolicyDocument as { Statement: { Action: string[]; Resource: unknown[] }[] }
      ).Statement.map((statement) => ({
        roles: JSON.stringify(policy.Properties.Roles),
        actions: statement.Action,
        resources: [statement.Resource].flat().map(rendered),
      })),
    );
    expect(statements.flatMap((statement) => statement.actions).sort()).toEqual([
      'sts:AssumeRole',
      'sts:AssumeRole',
      'sts:TagSession',
      'sts:TagSession',
    ]);
    const all = statements.flatMap((statement) => statement.resources);
    for (const resource of all) {
      expect(resource).toMatch(
        /^arn:aws:iam::<AWS::AccountId>:role\/cdk-hnb659fds-(deploy|file-publishing|image-publishing|lookup)-role-<AWS::AccountId>-\*$/,
      );
    }
    const diff = statements.find((statement) => statement.roles.includes('DiffRole'));
    expect(diff?.resources).toEqual([
      'arn:aws:iam::<AWS::AccountId>:role/cdk-hnb659fds-lookup-role-<AWS::AccountId>-*',
    ]);
    const diffTrust = JSON.stringify(role('totes-github-diff')?.Properties.AssumeRolePolicyDocument);
    expect(diffTrust).toContain('repo:terrific-totes/pipeline:pull_request');
    expect(diffTrust).not.toContain('environment:');
  });

  it('passes cdk-nag like every other stack of the app, and refuses to deploy without an account and region', () => {
    const stack = pipeline.github;
    if (!stack) throw new Error('no GitHub stack');
    const findings = [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap(
      (pack) => pack.validateScope(stack).violations,
    );
    expect(findings).toEqual([]);
    expect(Object.keys(template().Rules ?? {})).toContain('RequireExplicitDeployment');
  });
});
