import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { Hono } from 'hono';

/** The user pool the tests sign in to, as its tokens name it. */
export const testPool = {
  userPoolId: 'eu-west-2_TestPool1',
  clientId: 'dashboard-client-1',
  issuer: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_TestPool1',
  signInUrl: 'https://login.example.test',
  dashboardUrl: 'https://dashboard.example.test',
} as const;

/** An RSA key with the id a JWKS names it by. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: Record<string, unknown>;
}

/** A new RS256 signing key, as a user pool has. */
export function signingKey(kid = 'test-key'): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' } };
}

/** A JWT signed with `key`, with the claims of a Cognito ID token unless `claims` says otherwise. */
export function idToken(key: SigningKey, claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'RS256', kid: key.kid, typ: 'JWT' });
  const payload = encode({
    sub: 'analyst-1',
    email: 'analyst@example.com',
    iss: testPool.issuer,
    aud: testPool.clientId,
    token_use: 'id',
    auth_time: now,
    iat: now,
    exp: now + 3600,
    ...claims,
  });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key.privateKey).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

/**
 * The token endpoint of a user pool's managed login, as far as the sign-in uses it: a code it
 * issued (see `login`) is exchanged once, for its client, callback and PKCE verifier, for an ID
 * token signed with `key`.
 */
export function fakeCognito(key: SigningKey) {
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string }>();
  const app = new Hono();
  app.post('/oauth2/token', async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const code = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (
      form.get('grant_type') !== 'authorization_code' ||
      !code ||
      code.clientId !== form.get('client_id') ||
      code.redirectUri !== form.get('redirect_uri') ||
      code.challenge !== challenge
    ) {
      return c.json({ error: 'invalid_grant' }, 400);
    }
    return c.json({
      id_token: idToken(key),
      access_token: 'access',
      refresh_token: 'refresh',
      expires_in: 3600,
      token_type: 'Bearer',
    });
  });
  return {
    /** What a browser's requests to the pool reach. */
    fetch: ((input: string | URL | Request, init?: RequestInit) =>
      app.request(String(input), init)) as typeof fetch,
    /** The user signs in at the login the dashboard sent them to: the code it redirects back with. */
    login(authorizeUrl: string): string {
      const url = new URL(authorizeUrl);
      const code = randomBytes(8).toString('hex');
      codes.set(code, {
        clientId: url.searchParams.get('client_id') ?? '',
        redirectUri: url.searchParams.get('redirect_uri') ?? '',
        challenge: url.searchParams.get('code_challenge') ?? '',
      });
      return code;
    },
  };
}
