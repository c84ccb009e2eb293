import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDashboardStack, type DashboardStack, pipelineApp } from '../src/index';
import { cdkJson, rendered, resourcesOf } from './synthesized-pipeline';

let outdir: string;
let app: App;
let stack: DashboardStack;
let template: Template;

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'totes-dashboard-'));
  app = new App({ outdir, context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });
  const { settings } = pipelineApp(app);
  stack = addDashboardStack(app, settings);
  app.synth();
  template = Template.fromStack(stack);
});

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the dashboard stack', () => {
  it('is named for the dashboard and depends on no other stack', () => {
    expect(stack.stackName).toMatch(/-totes-dashboard$/);
    expect(stack.dependencies).toEqual([]);
  });

  it('has no anonymous route: every route needs a JWT of its own user pool', () => {
    const routes = [...resourcesOf(template, 'AWS::ApiGatewayV2::Route').values()];
    const authorizers = [...resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer').values()];

    expect(routes.map((route) => route.Properties.RouteKey)).toEqual(['$default']);
    for (const route of routes) expect(route.Properties.AuthorizationType).toBe('JWT');
    expect(authorizers).toHaveLength(1);
    const [authorizer] = authorizers;
    expect(authorizer?.Properties.AuthorizerType).toBe('JWT');
    const jwt = authorizer?.Properties.JwtConfiguration as { Issuer: unknown; Audience: unknown[] };
    expect(rendered(jwt.Issuer)).toMatch(/^https:\/\/cognito-idp\..*\/<Users[0-9A-F]+>$/);
    expect(jwt.Audience.map(rendered)).toEqual([expect.stringMatching(/^<UsersDashboardClient[0-9A-F]+>$/)]);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
    });
  });

  it("gives the function the read-only role's secret, and nothing else to read", () => {
    const functions = [...resourcesOf(template, 'AWS::Lambda::Function').values()];
    const secrets = [...resourcesOf(template, 'AWS::SecretsManager::Secret').entries()];
    const statements = [...resourcesOf(template, 'AWS::IAM::Policy').values()].flatMap(
      (policy) =>
        (
          policy.Properties.PolicyDocument as {
            Statement: { Action: string | string[]; Resource: unknown }[];
          }
        ).Statement,
    );

    expect(secrets.map(([, secret]) => secret.Properties.Name)).toEqual([
      expect.stringMatching(/\/totes\/dashboard$/),
    ]);
    const [secretId] = secrets[0] ?? [];
    const dashboard = functions.find((fn) => String(fn.Properties.FunctionName).endsWith('-dashboard'));
    if (!dashboard) throw new Error('no dashboard function');
    const { Variables } = dashboard.Properties.Environment as { Variables: Record<string, unknown> };
    expect(rendered(Variables.WAREHOUSE_SECRET_ARN)).toBe(`<${secretId}>`);
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(new Set(actions)).toEqual(
      new Set([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'secretsmanager:GetSecretValue',
        'secretsmanager:DescribeSecret',
      ]),
    );
    const secretReads = statements.filter((statement) =>
      [statement.Action].flat().includes('secretsmanager:GetSecretValue'),
    );
    expect(secretReads.map((statement) => rendered(statement.Resource))).toEqual([`<${secretId}>`]);
  });

  it('throttles its stage, so a runaway client is capped', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
  });

  it('passes the cdk-nag AwsSolutions checks', () => {
    const violations = new AwsSolutionsChecks()
      .validateScope(stack)
      .violations.map(
        (violation) =>
          `${violation.ruleName} ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`,
      );

    expect(violations).toEqual([]);
  });
});
