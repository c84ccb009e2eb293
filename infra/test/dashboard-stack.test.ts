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

type TemplateResource = ReturnType<typeof resourcesOf> extends ReadonlyMap<string, infer R> ? R : never;

/** The function whose name ends in `suffix`. */
function functionNamed(suffix: string): TemplateResource {
  const found = [...resourcesOf(template, 'AWS::Lambda::Function').values()].find((fn) =>
    String(fn.Properties.FunctionName).endsWith(suffix),
  );
  if (!found) throw new Error(`no function named *${suffix}`);
  return found;
}

/** The logical id of a function of the template. */
function functionId(fn: TemplateResource): string {
  const entry = [...resourcesOf(template, 'AWS::Lambda::Function').entries()].find(
    ([, value]) => value === fn,
  );
  if (!entry) throw new Error('not a function of the template');
  return entry[0];
}

/** Every policy statement of a function's role. */
function statementsOf(fn: TemplateResource): { Action: string | string[]; Resource: unknown }[] {
  const role = rendered(fn.Properties.Role);
  return [...resourcesOf(template, 'AWS::IAM::Policy').values()]
    .filter((policy) => (policy.Properties.Roles as unknown[]).map(rendered).includes(role))
    .flatMap(
      (policy) =>
        (
          policy.Properties.PolicyDocument as {
            Statement: { Action: string | string[]; Resource: unknown }[];
          }
        ).Statement,
    );
}

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

  it("gives the dashboard function the read-only role's secret, and nothing else to read", () => {
    const secrets = [...resourcesOf(template, 'AWS::SecretsManager::Secret').entries()];
    expect(secrets.map(([, secret]) => secret.Properties.Name)).toEqual([
      expect.stringMatching(/\/totes\/dashboard$/),
    ]);
    // The secret starts as the read-only role: the refresh gives that role its password.
    const [secretId, secret] = secrets[0] ?? [];
    const generated = secret?.Properties.GenerateSecretString as { SecretStringTemplate: string };
    expect(JSON.parse(generated.SecretStringTemplate)).toMatchObject({ username: 'totes_dashboard' });
    const dashboard = functionNamed('-dashboard');
    const { Variables } = dashboard.Properties.Environment as { Variables: Record<string, unknown> };
    expect(Object.keys(Variables).sort()).toEqual(['NODE_OPTIONS', 'WAREHOUSE_SECRET_ARN']);
    expect(rendered(Variables.WAREHOUSE_SECRET_ARN)).toBe(`<${secretId}>`);
    const statements = statementsOf(dashboard);
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

  it("refreshes the analytics views on a schedule, as the warehouse's owner, with the read-only secret's password for the role", () => {
    const [secretId] = [...resourcesOf(template, 'AWS::SecretsManager::Secret').keys()];
    const refresh = functionNamed('-analytics-refresh');
    const { Variables } = refresh.Properties.Environment as { Variables: Record<string, unknown> };
    expect(rendered(Variables.DASHBOARD_SECRET_ARN)).toBe(`<${secretId}>`);
    // The loader's secret, by name: this stack depends on no other.
    expect(rendered(Variables.WAREHOUSE_SECRET_ARN)).toMatch(/:secret:example\/totes\/warehouse$/);
    expect(refresh.Properties.Handler).toBe('handler/index.handler');
    expect(refresh.Properties.Timeout).toBe(900);
    const secretReads = statementsOf(refresh)
      .filter((statement) => [statement.Action].flat().includes('secretsmanager:GetSecretValue'))
      .flatMap((statement) => [statement.Resource].flat().map(rendered));
    expect(secretReads).toHaveLength(2);
    expect(secretReads).toEqual(
      expect.arrayContaining([
        `<${secretId}>`,
        expect.stringMatching(/:secret:example\/totes\/warehouse-\?{6}$/),
      ]),
    );
    for (const statement of statementsOf(refresh)) {
      for (const action of [statement.Action].flat()) expect(action).toMatch(/^(logs|secretsmanager):/);
    }

    const schedules = [...resourcesOf(template, 'AWS::Scheduler::Schedule').values()];
    expect(schedules).toHaveLength(1);
    const [schedule] = schedules;
    expect(schedule?.Properties).toMatchObject({
      Name: 'example-analytics-refresh',
      ScheduleExpression: 'rate(15 minutes)',
      State: 'DISABLED',
    });
    const target = schedule?.Properties.Target as { Arn: unknown; DeadLetterConfig: { Arn: unknown } };
    expect(rendered(target.Arn)).toBe(`<${functionId(refresh)}>`);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'example-analytics-refresh-schedules-dlq',
    });
  });

  it('runs the refresh schedule once the schedules are on, at the rate of the context', () => {
    const on = new App({
      outdir,
      context: {
        ...cdkJson.context,
        'aws:cdk:bundling-stacks': [],
        schedules: 'on',
        analyticsRefreshSchedule: 'rate(5 minutes)',
      },
    });
    const onStack = addDashboardStack(on, pipelineApp(on).settings);
    Template.fromStack(onStack).hasResourceProperties('AWS::Scheduler::Schedule', {
      Name: 'example-analytics-refresh',
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
    });
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
