import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { z } from 'zod';
import { sessionCookie, signInCookie } from './session-cookie';
import type { SignInConfig } from './sign-in-config';

/** What the sign-in needs besides its configuration (replaced in tests). */
export interface SignInDeps {
  /** How the token request is sent. */
  readonly fetch?: typeof fetch;
}

/** The part of Cognito's token response the sign-in uses. */
const TokenResponse = z.object({ id_token: z.string().min(1), expires_in: z.number().int().positive() });

/** A sign-in may take this long between leaving for the login and coming back. */
const signInSeconds = 600;

const base64url = (bytes: Buffer) => bytes.toString('base64url');

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function page(title: string, body: ReturnType<typeof html>) {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Terrific Totes dashboard</title></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;
}

/**
 * The dashboard's sign-in, for a browser.
 *
 * It uses the Cognito user pool's managed login and the authorization-code flow with PKCE (a
 * public client, no secret):
 *
 * - `GET /auth/sign-in` sends the browser to the login, with a random `state` and the PKCE
 *   challenge; the state and verifier wait in a short-lived HttpOnly cookie.
 * - `GET /auth/callback` checks the state, exchanges the code (with the verifier) for tokens at
 *   the pool's token endpoint, and puts the ID token in the session cookie (`__Host-`, HttpOnly,
 *   Secure, SameSite=Lax, for as long as the token is valid), then sends the browser to `/`.
 * - `GET /auth/sign-out` deletes the session cookie and signs out of the managed login too.
 *
 * It serves nothing else: the pages and data are another function's, behind the authorizer that
 * reads this cookie. No token or code is ever logged or shown.
 */
export function createSignInApp(config: SignInConfig, deps: SignInDeps = {}): Hono {
  const send = deps.fetch ?? fetch;
  const callbackUrl = `${config.DASHBOARD_URL}/auth/callback`;
  const app = new Hono();
  const cookieOptions = { httpOnly: true, secure: true, sameSite: 'Lax', path: '/' } as const;

  app.get('/auth/sign-in', (c) => {
    const state = base64url(randomBytes(24));
    const verifier = base64url(randomBytes(48));
    const challenge = base64url(createHash('sha256').update(verifier).digest());
    setCookie(c, signInCookie, `${state}.${verifier}`, { ...cookieOptions, maxAge: signInSeconds });
    const login = new URL(`${config.SIGN_IN_URL}/oauth2/authorize`);
    login.search = new URLSearchParams({
      response_type: 'code',
      client_id: config.SIGN_IN_CLIENT_ID,
      redirect_uri: callbackUrl,
      scope: 'openid email',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    return c.redirect(login.toString(), 302);
  });

  app.get('/auth/callback', async (c) => {
    const started = getCookie(c, signInCookie) ?? '';
    deleteCookie(c, signInCookie, cookieOptions);
    const [state, verifier] = started.split('.');
    const code = c.req.query('code');
    const returned = c.req.query('state') ?? '';
    const again = html`<p><a href="/auth/sign-in">Sign in again</a></p>`;
    if (!state || !verifier || !code || !sameText(state, returned)) {
      return c.html(
        page(
          'The sign-in did not complete',
          html`<p>It was started elsewhere, or more than ten minutes ago.</p>${again}`,
        ),
        400,
      );
    }
    const response = await send(`${config.SIGN_IN_URL}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: config.SIGN_IN_CLIENT_ID,
        code,
        redirect_uri: callbackUrl,
        code_verifier: verifier,
      }),
    }).catch(() => undefined);
    const tokens = response?.ok
      ? TokenResponse.safeParse(await response.json().catch(() => undefined))
      : undefined;
    if (!tokens?.success) {
      return c.html(
        page('The sign-in was refused', html`<p>The user pool did not accept it.</p>${again}`),
        502,
      );
    }
    setCookie(c, sessionCookie, tokens.data.id_token, { ...cookieOptions, maxAge: tokens.data.expires_in });
    return c.redirect('/', 302);
  });

  app.get('/auth/sign-out', (c) => {
    deleteCookie(c, sessionCookie, cookieOptions);
    const logout = new URL(`${config.SIGN_IN_URL}/logout`);
    logout.search = new URLSearchParams({
      client_id: config.SIGN_IN_CLIENT_ID,
      logout_uri: `${config.DASHBOARD_URL}/auth/signed-out`,
    }).toString();
    return c.redirect(logout.toString(), 302);
  });

  app.get('/auth/signed-out', (c) =>
    c.html(page('Signed out', html`<p><a href="/auth/sign-in">Sign in</a> to see the dashboard again.</p>`)),
  );

  app.notFound((c) => c.text('Not found', 404));
  return app;
}
