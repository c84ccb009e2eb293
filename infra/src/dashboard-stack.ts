import {
  type App,
  Aws,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { type CfnStage, HttpApi, HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  Mfa,
  OAuthScope,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import { databaseNetwork } from './database-network';
import { type DatabaseSecret, databaseSecret } from './database-secret';
import type { DeploymentSettings } from './deployment-settings';
import { scheduleDeadLetterQueue, scheduleDeadLetters } from './extractor-stack';
import { stackName } from './pipeline-app';
import { type FunctionSettings, StageFunction } from './stage-function';
import { warehouseOwnerSecret } from './warehouse-owner-secret';

/** Props of {@link DashboardStack}. */
export interface DashboardStackProps extends StackProps {
  readonly settings: DeploymentSettings;
}

/**
 * How the dashboard function runs: a page runs its panels' queries at once over a small pool;
 * 29 s is API Gateway's own limit for an integration.
 */
export const dashboardSettings = {
  timeoutSeconds: 29,
  memoryMb: 1024,
  nodeOptions: [],
} as const satisfies FunctionSettings;

/** The read-only role the dashboard reads as (`dashboardRole` of services/dashboard). */
const dashboardRole = 'totes_dashboard';

/** How the sign-in and the authorizer run: a redirect, a token request, a signature check. */
export const signInSettings = {
  timeoutSeconds: 10,
  memoryMb: 256,
  nodeOptions: [],
} as const satisfies FunctionSettings;

/**
 * How the analytics refresh runs: creating the views took 38 s and a refresh 142 s at scale
 * factor 100 here (docs/decisions/0010-dashboard-analytics-schema.md); the work is PostgreSQL's,
 * the function only waits.
 */
export const analyticsRefreshSettings = {
  timeoutSeconds: 900,
  memoryMb: 256,
  nodeOptions: [],
} as const satisfies FunctionSettings;

/**
 * The dashboard in AWS: the dashboard service as one Lambda function behind an HTTP API whose
 * every route but the sign-in's (`$default`: every other method and path) requires a session
 * cookie holding an ID token of the deployment's Cognito user pool (users are created by an
 * administrator; MFA required), which a browser gets by signing in at `/auth/sign-in` (the pool's
 * managed login; see `browserSignIn`). No page or data is reachable without signing in: API
 * Gateway refuses a request without a cookie, and the authorizer one without a valid token,
 * before the function runs. The scheduled analytics refresh keeps the views current.
 *
 * The function reads the warehouse through its own secret, `<env>/totes/dashboard`, holding the
 * credentials of the read-only `totes_dashboard` role (see services/dashboard's
 * `prepareDashboardReader`), never the loader's; its role may read that secret and write its
 * own logs, nothing else. It reaches the warehouse from the VPC of the context when one is given.
 */
export class DashboardStack extends Stack {
  readonly dashboard: StageFunction;
  readonly api: HttpApi;
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  readonly signIn: StageFunction;
  readonly authorizer: StageFunction;
  readonly readerSecret: DatabaseSecret;
  readonly refresh: StageFunction;
  readonly refreshSchedule: Schedule;

  constructor(scope: Construct, id: string, props: DashboardStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const { environment } = settings.names;
    this.readerSecret = databaseSecret(this, 'ReaderSecret', {
      name: `${environment}/totes/dashboard`,
      dbname: 'warehouse',
      username: dashboardRole,
      description: `The warehouse as the read-only role ${dashboardRole}, for the ${environment} dashboard`,
    });
    this.dashboard = new StageFunction(this, 'Dashboard', {
      stage: dashboardSettings,
      service: 'dashboard',
      functionName: `${environment}-dashboard`,
      description:
        'The dashboard: sales, purchases, payments and pipeline health, from the warehouse (read only)',
      environment: { WAREHOUSE_SECRET_ARN: this.readerSecret.secretArn },
      network: databaseNetwork(this, settings.databaseVpc),
    });
    this.readerSecret.grantRead(this.dashboard.function);
    ({ refresh: this.refresh, schedule: this.refreshSchedule } = this.analyticsRefresh(settings));

    this.userPool = new UserPool(this, 'Users', {
      userPoolName: `${environment}-totes-dashboard`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Threat protection needs the Plus feature plan, priced per user; this pool holds a handful of
    // analysts an administrator creates, and MFA is required of each.
    const plan =
      'Threat protection (the Plus feature plan) is priced per user; this pool holds a handful of analysts an administrator creates, with MFA required.';
    Validations.of(this.userPool).acknowledge(
      { id: 'AwsSolutions-COG3', reason: plan },
      { id: 'AwsSolutions-COG8', reason: plan },
    );
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      logGroupName: `/aws/apigateway/${environment}-totes-dashboard`,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new HttpApi(this, 'Api', {
      apiName: `${environment}-totes-dashboard`,
      description: 'The Terrific Totes dashboard, for signed-in users only',
    });
    ({
      client: this.client,
      domain: this.domain,
      signIn: this.signIn,
      authorizer: this.authorizer,
    } = this.browserSignIn(settings));
    const stage = this.api.defaultStage?.node.defaultChild as CfnStage | undefined;
    if (stage) {
      stage.accessLogSettings = {
        destinationArn: accessLogs.logGroupArn,
        format: JSON.stringify({
          requestId: '$context.requestId',
          ip: '$context.identity.sourceIp',
          requestTime: '$context.requestTime',
          routeKey: '$context.routeKey',
          status: '$context.status',
          authorizerError: '$context.authorizer.error',
        }),
      };
      // A handful of analysts: a page makes a dozen data requests, so 20 a second with bursts
      // of 40 serves several at once and caps what a runaway client can cost.
      stage.defaultRouteSettings = { throttlingRateLimit: 20, throttlingBurstLimit: 40 };
    }

    new CfnOutput(this, 'DashboardUrl', {
      value: this.api.apiEndpoint,
      description: 'The dashboard (sign in first)',
    });
    new CfnOutput(this, 'SignInUrl', {
      value: `${this.api.apiEndpoint}/auth/sign-in`,
      description: 'Where a browser signs in to the dashboard',
    });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.client.userPoolClientId });
  }

  /**
   * How a browser signs in (a browser sends no `Authorization` header of its own, and an HTTP
   * API's JWT authorizer reads a token from a header or the query string only, never a cookie):
   *
   * - the pool's managed login on a Cognito domain, and an app client with the
   *   authorization-code flow (PKCE, no secret) whose callback is this API's `/auth/callback`;
   * - `GET /auth/{proxy+}`, the one route without authorization, to `<env>-dashboard-sign-in`,
   *   which serves the sign-in and nothing else (no secret, no data): it sets the session cookie;
   * - `$default`, every other method and path, to the dashboard function behind a Lambda
   *   authorizer, `<env>-dashboard-authorizer`, whose identity source is the `Cookie` header:
   *   API Gateway refuses a request without one (401) before anything runs, and the authorizer
   *   lets through only a session cookie holding a valid ID token of this pool and client (403
   *   otherwise), its answer cached five minutes per cookie.
   */
  private browserSignIn(settings: DeploymentSettings): {
    client: UserPoolClient;
    domain: UserPoolDomain;
    signIn: StageFunction;
    authorizer: StageFunction;
  } {
    const { environment } = settings.names;
    const client = this.userPool.addClient('DashboardClient', {
      userPoolClientName: `${environment}-totes-dashboard`,
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls: [`${this.api.apiEndpoint}/auth/callback`],
        logoutUrls: [`${this.api.apiEndpoint}/auth/signed-out`],
      },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
    });
    // A Cognito domain's prefix is unique in its region across all accounts: the account makes it so.
    const domain = this.userPool.addDomain('SignInDomain', {
      cognitoDomain: { domainPrefix: `${environment}-totes-${Aws.ACCOUNT_ID}` },
    });
    const environmentOf = {
      USER_POOL_ID: this.userPool.userPoolId,
      SIGN_IN_CLIENT_ID: client.userPoolClientId,
      SIGN_IN_URL: domain.baseUrl(),
      DASHBOARD_URL: this.api.apiEndpoint,
    };
    // Both reach Cognito (its token endpoint, its keys) over the internet: outside any VPC.
    const signIn = new StageFunction(this, 'SignIn', {
      stage: signInSettings,
      service: 'dashboard-sign-in',
      functionName: `${environment}-dashboard-sign-in`,
      description: "The dashboard's sign-in: the managed login's code flow, setting the session cookie",
      environment: environmentOf,
    });
    const authorizer = new StageFunction(this, 'Authorizer', {
      stage: signInSettings,
      service: 'dashboard-authorizer',
      functionName: `${environment}-dashboard-authorizer`,
      description:
        "Lets through a dashboard request whose session cookie holds a valid ID token of the dashboard's users",
      environment: environmentOf,
    });
    new HttpRoute(this, 'Pages', {
      httpApi: this.api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: new HttpLambdaIntegration('Function', this.dashboard.function),
      authorizer: new HttpLambdaAuthorizer('SignedIn', authorizer.function, {
        authorizerName: `${environment}-totes-dashboard-session`,
        identitySource: ['$request.header.Cookie'],
        responseTypes: [HttpLambdaResponseType.SIMPLE],
        resultsCacheTtl: Duration.minutes(5),
      }),
    });
    const signInRoute = new HttpRoute(this, 'SignInRoute', {
      httpApi: this.api,
      routeKey: HttpRouteKey.with('/auth/{proxy+}', HttpMethod.GET),
      integration: new HttpLambdaIntegration('SignInFunction', signIn.function),
    });
    Validations.of(signInRoute).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'The sign-in itself cannot require a signed-in user: this route reaches only the sign-in function, which holds no secret and serves no data, only the redirects to and from the managed login.',
    });
    return { client, domain, signIn, authorizer };
  }

  /**
   * The scheduled analytics refresh: a function of its own, `<env>-analytics-refresh`, invoked by
   * the schedule of the same name (`analyticsRefreshSchedule`, every 15 minutes by default; off
   * until `schedules=on`, as the others). As the warehouse's owner (the loader's secret) it
   * creates the analytics views where absent and the role `totes_dashboard` with the password of
   * the dashboard's secret, then refreshes the views. Its role may read those two secrets and
   * write its log group; the dashboard function never sees the owner's secret.
   */
  private analyticsRefresh(settings: DeploymentSettings): { refresh: StageFunction; schedule: Schedule } {
    const { environment } = settings.names;
    const ownerSecret = warehouseOwnerSecret(this, settings);
    const refresh = new StageFunction(this, 'AnalyticsRefresh', {
      stage: analyticsRefreshSettings,
      service: 'analytics-refresh',
      functionName: `${environment}-analytics-refresh`,
      description: `Refreshes the warehouse's analytics views and sets the password of its read-only role ${dashboardRole}`,
      environment: {
        WAREHOUSE_SECRET_ARN: ownerSecret.secretArn,
        DASHBOARD_SECRET_ARN: this.readerSecret.secretArn,
      },
      network: databaseNetwork(this, settings.databaseVpc),
    });
    ownerSecret.grantRead(refresh.function);
    this.readerSecret.grantRead(refresh.function);
    const schedule = new Schedule(this, 'AnalyticsRefreshSchedule', {
      scheduleName: `${environment}-analytics-refresh`,
      description: "Refreshes the dashboard's analytics views after the loads of the last minutes",
      schedule: ScheduleExpression.expression(settings.analyticsRefreshSchedule),
      timeWindow: TimeWindow.off(),
      enabled: settings.schedules === 'on',
      target: new LambdaInvoke(refresh.function, {
        // A run that missed its time is worth nothing: the next one refreshes everything again.
        maxEventAge: Duration.minutes(5),
        retryAttempts: 0,
        deadLetterQueue: scheduleDeadLetters(this, scheduleDeadLetterQueue(environment, 'analytics-refresh')),
      }),
    });
    const functionId = this.getLogicalId(refresh.function.node.defaultChild as CfnFunction);
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason:
        "CDK's Lambda target lets the schedule's role invoke the function and its versions and aliases (`<arn>:*`); it is this one function, invoked by this schedule only.",
    });
    return { refresh, schedule };
  }
}

/**
 * Adds a deployment's dashboard stack (`<environment>-totes-dashboard`) to an app that holds
 * its pipeline (see `pipelineApp`), with the same settings. It depends on no other stack: it
 * reads the warehouse through a secret of its own, so it deploys alone
 * (`cdk deploy -e <env>-totes-dashboard`).
 */
export function addDashboardStack(app: App, settings: DeploymentSettings): DashboardStack {
  const name = stackName(settings, 'dashboard');
  return new DashboardStack(app, name, {
    settings,
    stackName: name,
    description: `Terrific Totes ${settings.names.environment}: the dashboard, for signed-in users, reading the warehouse`,
    env: {
      ...(settings.account ? { account: settings.account } : {}),
      ...(settings.region ? { region: settings.region } : {}),
    },
  });
}
