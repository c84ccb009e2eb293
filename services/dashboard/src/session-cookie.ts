/**
 * The cookie that carries a signed-in user's Cognito ID token.
 *
 * Set by the sign-in callback and read by the authorizer on every other request. `__Host-`: only ever set over HTTPS, for the
 * whole site and this host alone; HttpOnly, so no script on a page can read it.
 */
export const sessionCookie = '__Host-totes_session';

/** The cookie that holds a sign-in's state and PKCE verifier between the login and its callback. */
export const signInCookie = '__Host-totes_sign_in';
