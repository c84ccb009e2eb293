import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { handle } from 'hono/aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  createSessionAuthorizer,
  createSignInApp,
  sessionCookie,
  signInConfig,
  signInCookie,
} from '../src/index';
import { fakeCognito, idToken, signingKey, testPool } from './fake-cognito';

const key = signingKey();
const config = {
  USER_POOL_ID: testPool.userPoolId,
  SIGN_IN_CLIENT_ID: testPool.clientId,
  SIGN_IN_URL: testPool.signInUrl,
  DASHBOARD_URL: testPool.dashboardUrl,
};

/** The `name=value` of each cookie a response sets, and its attributes. */
function setCookies(response: Response): Map<string, string> {
  return new Map(
    response.headers.getSetCookie().map((line) => [line.slice(0, line.indexOf('=')), line] as const),
  );
}

/** The value part of a Set-Cookie line. */
const cookieValue = (line: string | undefined) => line?.slice(line.indexOf('=') + 1).split(';')[0] ?? '';

/** Starts a sign-in: the redirect to the login, and the cookie the browser keeps meanwhile. */
async function startSignIn(app: ReturnType<typeof createSignInApp>) {
  const response = await app.request(`${testPool.dashboardUrl}/auth/sign-in`);
  const cookie = setCookies(response).get(signInCookie);
  return {
    response,
    location: response.headers.get('location') ?? '',
    cookie: `${signInCookie}=${cookieValue(cookie)}`,
  };
}

function authorizer() {
  const verifier = CognitoJwtVerifier.create({
    userPoolId: testPool.userPoolId,
    clientId: testPool.clientId,
    tokenUse: 'id',
  });
  verifier.cacheJwks({ keys: [key.jwk] } as unknown as Parameters<typeof verifier.cacheJwks>[0]);
  return createSessionAuthorizer(verifier);
}

describe('signing in to the dashboard in a browser', () => {
  it('sends the browser to the managed login with a state and a PKCE challenge, kept in a short HttpOnly cookie', async () => {
    const app = createSignInApp(config);

    const { response, location } = await startSignIn(app);

    expect(response.status).toBe(302);
    const login = new URL(location);
    expect(`${login.origin}${login.pathname}`).toBe(`${testPool.signInUrl}/oauth2/authorize`);
    expect(Object.fromEntries(login.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: testPool.clientId,
      redirect_uri: `${testPool.dashboardUrl}/auth/callback`,
      scope: 'openid email',
      code_challenge_method: 'S256',
      state: expect.stringMatching(/^[\w-]{32}$/),
      code_challenge: expect.stringMatching(/^[\w-]{43}$/),
    });
    const cookie = setCookies(response).get(signInCookie) ?? '';
    expect(cookie).toMatch(/; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    expect(cookieValue(cookie).split('.')[0]).toBe(login.searchParams.get('state'));
  });

  it('exchanges the code for an ID token, puts it in a Secure HttpOnly session cookie, and the authorizer lets that cookie through', async () => {
    const cognito = fakeCognito(key);
    const app = createSignInApp(config, { fetch: cognito.fetch });
    const { location, cookie } = await startSignIn(app);
    const code = cognito.login(location);
    const state = new URL(location).searchParams.get('state') ?? '';

    const callback = await app.request(
      `${testPool.dashboardUrl}/auth/callback?code=${code}&state=${encodeURIComponent(state)}`,
      { headers: { cookie } },
    );

    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe('/');
    const set = setCookies(callback);
    const session = set.get(sessionCookie) ?? '';
    expect(session).toMatch(/; Max-Age=3600; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    expect(set.get(signInCookie)).toMatch(/Max-Age=0/);
    expect(
      await authorizer()({ cookies: ['theme=dark', `${sessionCookie}=${cookieValue(session)}`] }),
    ).toEqual({
      isAuthorized: true,
    });
  });

  it('refuses a callback whose state is not the one it sent, and sets no session', async () => {
    const cognito = fakeCognito(key);
    const app = createSignInApp(config, { fetch: cognito.fetch });
    const { location, cookie } = await startSignIn(app);
    const code = cognito.login(location);

    const forged = await app.request(`${testPool.dashboardUrl}/auth/callback?code=${code}&state=forged`, {
      headers: { cookie },
    });
    const withoutCookie = await app.request(`${testPool.dashboardUrl}/auth/callback?code=${code}&state=x`);

    for (const response of [forged, withoutCookie]) {
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Sign in again');
      expect(setCookies(response).get(sessionCookie)).toBeUndefined();
    }
  });

  it('sets no session when the user pool refuses the code (another sign-in’s verifier)', async () => {
    const cognito = fakeCognito(key);
    const app = createSignInApp(config, { fetch: cognito.fetch });
    const first = await startSignIn(app);
    const second = await startSignIn(app);
    const code = cognito.login(first.location);
    const state = new URL(second.location).searchParams.get('state') ?? '';

    const response = await app.request(
      `${testPool.dashboardUrl}/auth/callback?code=${code}&state=${encodeURIComponent(state)}`,
      { headers: { cookie: second.cookie } },
    );

    expect(response.status).toBe(502);
    expect(setCookies(response).get(sessionCookie)).toBeUndefined();
  });

  it('signs out: the session cookie is deleted and the managed login signs out too', async () => {
    const app = createSignInApp(config);

    const response = await app.request(`${testPool.dashboardUrl}/auth/sign-out`);

    expect(response.status).toBe(302);
    expect(setCookies(response).get(sessionCookie)).toMatch(
      /^__Host-totes_session=; Max-Age=0; Path=\/; HttpOnly; Secure/,
    );
    const logout = new URL(response.headers.get('location') ?? '');
    expect(`${logout.origin}${logout.pathname}`).toBe(`${testPool.signInUrl}/logout`);
    expect(logout.searchParams.get('logout_uri')).toBe(`${testPool.dashboardUrl}/auth/signed-out`);
    expect((await app.request(`${testPool.dashboardUrl}/auth/signed-out`)).status).toBe(200);
  });

  it('serves nothing but the sign-in: a data path reached through it is not found', async () => {
    const app = createSignInApp(config);

    for (const path of ['/', '/api/panels/top-designs', '/auth/%2e%2e/api/health', '/health']) {
      expect((await app.request(`${testPool.dashboardUrl}${path}`)).status, path).toBe(404);
    }
  });
});

describe('the sign-in as Lambda runs it behind the HTTP API (payload format 2.0)', () => {
  /** An HTTP API event for `GET path`, with the cookies API Gateway splits out of the header. */
  const event = (path: string, query: string, cookies?: string[]) => ({
    version: '2.0',
    routeKey: 'GET /auth/{proxy+}',
    rawPath: path,
    rawQueryString: query,
    ...(cookies ? { cookies } : {}),
    headers: { host: new URL(testPool.dashboardUrl).host },
    requestContext: {
      domainName: new URL(testPool.dashboardUrl).host,
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: 'request',
      routeKey: 'GET /auth/{proxy+}',
      stage: '$default',
    },
    isBase64Encoded: false,
  });

  it('reads its cookie from the event and returns the session cookie as the API expects it', async () => {
    const cognito = fakeCognito(key);
    const lambda = handle(createSignInApp(config, { fetch: cognito.fetch })) as unknown as (
      event: unknown,
    ) => Promise<{ statusCode: number; headers: Record<string, string>; cookies?: string[] }>;

    const started = await lambda(event('/auth/sign-in', ''));
    const location = started.headers.location ?? '';
    const code = cognito.login(location);
    const state = new URL(location).searchParams.get('state') ?? '';
    const signInCookieLine = started.cookies?.find((line) => line.startsWith(`${signInCookie}=`)) ?? '';
    const done = await lambda(
      event('/auth/callback', `code=${code}&state=${encodeURIComponent(state)}`, [
        'theme=dark',
        `${signInCookie}=${cookieValue(signInCookieLine)}`,
      ]),
    );

    expect(started.statusCode).toBe(302);
    expect(done.statusCode).toBe(302);
    const session = done.cookies?.find((line) => line.startsWith(`${sessionCookie}=`)) ?? '';
    expect(await authorizer()({ cookies: [`${sessionCookie}=${cookieValue(session)}`] })).toEqual({
      isAuthorized: true,
    });
  });
});

describe('the sign-in configuration', () => {
  it('takes https addresses only, without their trailing slash', () => {
    const parsed = signInConfig.parse({ ...config, DASHBOARD_URL: `${testPool.dashboardUrl}/` });
    expect(parsed.DASHBOARD_URL).toBe(testPool.dashboardUrl);

    const plain = signInConfig.safeParse({ ...config, SIGN_IN_URL: 'http://login.example.test' });
    const pool = signInConfig.safeParse({ ...config, USER_POOL_ID: 'not a pool' });
    expect(plain.success).toBe(false);
    expect(pool.success).toBe(false);
  });
});

describe('the authorizer of every other route', () => {
  const authorize = authorizer();
  const cookie = (token: string) => [`${sessionCookie}=${token}`];

  it('lets a request through whose session cookie holds an unexpired ID token of the pool and its client', async () => {
    expect(await authorize({ cookies: cookie(idToken(key)) })).toEqual({ isAuthorized: true });
  });

  it('refuses a request without the session cookie', async () => {
    expect(await authorize({})).toEqual({ isAuthorized: false });
    expect(await authorize({ cookies: ['theme=dark'] })).toEqual({ isAuthorized: false });
    expect(await authorize({ cookies: [`${sessionCookie}=`] })).toEqual({ isAuthorized: false });
  });

  it.each([
    ['signed with another key', () => idToken({ ...signingKey(), kid: key.kid })],
    ['expired', () => idToken(key, { exp: Math.floor(Date.now() / 1000) - 60 })],
    ['for another app client', () => idToken(key, { aud: 'another-client' })],
    [
      'from another user pool',
      () => idToken(key, { iss: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Other' }),
    ],
    ['an access token', () => idToken(key, { token_use: 'access' })],
    [
      'tampered with',
      () => idToken(key).replace(/\.[\w-]+\./, `.${Buffer.from('{"sub":"admin"}').toString('base64url')}.`),
    ],
    ['not a token at all', () => 'not-a-token'],
  ])('refuses a token %s', async (_, token) => {
    expect(await authorize({ cookies: cookie(token()) })).toEqual({ isAuthorized: false });
  });
});
