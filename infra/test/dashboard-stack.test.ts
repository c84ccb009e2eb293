import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
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

  it('refuses every request without a session: only the sign-in route is open, and it reaches no data', () => {
    const routes = [...resourcesOf(template, 'AWS::ApiGatewayV2::Route').values()];
    const integrations = resourcesOf(template, 'AWS::ApiGatewayV2::Integration');
    const authorizers = [...resourcesOf(template, 'AWS::ApiGatewayV2::Authorizer').entries()];
    const targetOf = (route: TemplateResource) => {
      const integrationId = rendered(route.Properties.Target).replace(/^integrations\/<(.+)>$/, '$1');
      return rendered(integrations.get(integrationId)?.Properties.IntegrationUri);
    };

    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual([
      '$default',
      'GET /auth/{proxy+}',
    ]);
    const pages = routes.find((route) => route.Properties.RouteKey === '$default');
    const signIn = routes.find((route) => route.Properties.RouteKey === 'GET /auth/{proxy+}');
    if (!pages || !signIn) throw new Error('a route is missing');
    // Every page and data request: the dashboard function, behind the session authorizer.
    expect(targetOf(pages)).toBe(`<${functionId(functionNamed('-dashboard'))}>`);
    expect(pages.Properties.AuthorizationType).toBe('CUSTOM');
    expect(authorizers).toHaveLength(1);
    const [authorizerId, authorizer] = authorizers[0] ?? [];
    expect(rendered(pages.Properties.AuthorizerId)).toBe(`<${authorizerId}>`);
    expect(authorizer?.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      // No Cookie header: refused by API Gateway itself (401), before any function runs.
      IdentitySource: ['$request.header.Cookie'],
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 300,
    });
    expect(rendered(authorizer?.Properties.AuthorizerUri)).toContain(
      `<${functionId(functionNamed('-dashboard-authorizer'))}>`,
    );
    expect(functionNamed('-dashboard-authorizer').Properties.Handler).toBe('index.authorize');
    // The one open route: the sign-in function, which may read no secret and holds no warehouse.
    expect(signIn.Properties.AuthorizationType).toBe('NONE');
    const signInFunction = functionNamed('-dashboard-sign-in');
    expect(targetOf(signIn)).toBe(`<${functionId(signInFunction)}>`);
    for (const fn of [signInFunction, functionNamed('-dashboard-authorizer')]) {
      for (const statement of statementsOf(fn)) {
        for (const action of [statement.Action].flat()) expect(action).toMatch(/^logs:/);
      }
      const { Variables } = fn.Properties.Environment as { Variables: Record<string, unknown> };
      expect(Object.keys(Variables).sort()).toEqual(
        ['DASHBOARD_URL', 'NODE_OPTIONS', 'SIGN_IN_CLIENT_ID', 'SIGN_IN_URL', 'USER_POOL_ID'].sort(),
      );
      expect(fn.Properties.VpcConfig).toBeUndefined();
    }
  });

  it('signs a browser in with the managed login and the code flow of a client without a secret, back to this API', () => {
    const [api] = [...resourcesOf(template, 'AWS::ApiGatewayV2::Api').keys()];
    const [client] = [...resourcesOf(template, 'AWS::Cognito::UserPoolClient').values()];
    if (!client) throw new Error('no user pool client');
    expect(client.Properties).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email'],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
    });
    expect(client.Properties.GenerateSecret).not.toBe(true);
    // The API's endpoint (its `ApiEndpoint` attribute).
    const endpoint = `<${api}>`;
    expect((client.Properties.CallbackURLs as unknown[]).map(rendered)).toEqual([
      `${endpoint}/auth/callback`,
    ]);
    expect((client.Properties.LogoutURLs as unknown[]).map(rendered)).toEqual([
      `${endpoint}/auth/signed-out`,
    ]);
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
    });
    const [domain] = [...resourcesOf(template, 'AWS::Cognito::UserPoolDomain').values()];
    expect(rendered(domain?.Properties.Domain)).toBe('example-totes-<AWS::AccountId>');
    const { Variables } = functionNamed('-dashboard-sign-in').Properties.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(rendered(Variables.DASHBOARD_URL)).toBe(endpoint);
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

  it('passes the cdk-nag AwsSolutions and Serverless checks', () => {
    const violations = [new AwsSolutionsChecks(), new ServerlessChecks()]
      .flatMap((pack) => pack.validateScope(stack).violations)
      .map(
        (violation) =>
          `${violation.ruleName} ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`,
      );

    expect(violations).toEqual([]);
  });
});
