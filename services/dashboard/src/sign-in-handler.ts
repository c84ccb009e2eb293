import { loadConfig } from '@totes/runtime';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { handle } from 'hono/aws-lambda';
import { createSessionAuthorizer } from './session-authorizer';
import { createSignInApp } from './sign-in-app';
import { signInConfig } from './sign-in-config';

const config = loadConfig(signInConfig);

/**
 * The Lambda entry of the dashboard's sign-in: {@link createSignInApp}.
 *
 * `<env>-dashboard-sign-in`, the HTTP API's anonymous `GET /auth/{proxy+}` route.
 */
export const handler = handle(createSignInApp(config));

/**
 * The Lambda entry of the dashboard's authorizer: {@link createSessionAuthorizer}.
 *
 * `<env>-dashboard-authorizer`, on every other route, with the pool's keys fetched once per cold
 * start.
 */
export const authorize = createSessionAuthorizer(
  CognitoJwtVerifier.create({
    userPoolId: config.USER_POOL_ID,
    clientId: config.SIGN_IN_CLIENT_ID,
    tokenUse: 'id',
  }),
);
