import { sessionCookie } from './session-cookie';

/** What API Gateway sends an HTTP API Lambda authorizer (payload format 2.0), as far as it is read. */
export interface AuthorizerEvent {
  /** The request's cookies, one `name=value` each. */
  readonly cookies?: readonly string[];
}

/** A simple response (`enableSimpleResponses`): whether the request may go on to its route. */
export interface AuthorizerResult {
  readonly isAuthorized: boolean;
}

/** Checks an ID token: its signature, issuer, audience, use and expiry (aws-jwt-verify in AWS). */
export interface TokenVerifier {
  verify(token: string): Promise<unknown>;
}

/** The session cookie's value among a request's cookies. */
export function sessionToken(cookies: readonly string[] | undefined): string | undefined {
  const prefix = `${sessionCookie}=`;
  const found = cookies?.find((cookie) => cookie.trim().startsWith(prefix));
  if (found === undefined) return undefined;
  try {
    return decodeURIComponent(found.trim().slice(prefix.length)) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The dashboard's authorizer, which lets a request through only with a valid session cookie.
 *
 * A request is let through only when its session cookie holds an ID
 * token of the dashboard's user pool and app client, signed by the pool, unexpired. API Gateway
 * itself refuses (401) a request without a `Cookie` header, before this runs; this refuses (403)
 * one whose cookies hold no valid token. Nothing about the token is logged.
 */
export function createSessionAuthorizer(
  verifier: TokenVerifier,
): (event: AuthorizerEvent) => Promise<AuthorizerResult> {
  return async (event) => {
    const token = sessionToken(event.cookies);
    if (!token) return { isAuthorized: false };
    try {
      await verifier.verify(token);
      return { isAuthorized: true };
    } catch {
      return { isAuthorized: false };
    }
  };
}
