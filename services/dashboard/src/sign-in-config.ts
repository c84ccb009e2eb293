import { z } from 'zod';

/** An https URL, without a trailing slash. */
const httpsUrl = z.url({ protocol: /^https$/ }).transform((url) => url.replace(/\/+$/, ''));

/**
 * The environment of the dashboard's sign-in function and of its authorizer.
 *
 * One bundle, the same variables: the Cognito user pool and app client, the pool's managed login (`SIGN_IN_URL`, its
 * domain) and the dashboard's own address, which the login sends the browser back to. None is a
 * secret: the app client is public and signs in with PKCE.
 */
export const signInConfig = z.object({
  USER_POOL_ID: z
    .string()
    .regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'expected a user pool id such as eu-west-2_AbCdEf123'),
  SIGN_IN_CLIENT_ID: z.string().min(1),
  SIGN_IN_URL: httpsUrl,
  DASHBOARD_URL: httpsUrl,
});

/** The parsed {@link signInConfig}. */
export type SignInConfig = z.output<typeof signInConfig>;
