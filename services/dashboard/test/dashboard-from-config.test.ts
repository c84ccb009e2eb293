import { coldStart } from '@totes/test-harness';
import type { LambdaEvent } from 'hono/aws-lambda';
import { describe, expect, it } from 'vitest';
import { useDashboard } from './use-dashboard';

const dashboard = useDashboard(50);
const entry = () => import('../src/handler');

/** A GET request as the HTTP API hands it to the function (payload format 2.0), signed in. */
function httpApiRequest(path: string): LambdaEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'dashboard.example', accept: 'application/json' },
    body: null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'dashboard',
      authentication: null,
      // Every route requires a signed-in user: the JWT authorizer's claims come with the request.
      authorizer: { jwt: { claims: { sub: 'analyst' }, scopes: null } },
      domainName: 'dashboard.example',
      domainPrefix: 'dashboard',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: 'request-1',
      routeKey: '$default',
      stage: '$default',
      time: '07/Dec/2026:22:00:00 +0000',
      timeEpoch: 0,
    },
  };
}

describe('the dashboard function built from its environment at cold start', () => {
  it('answers a data request from the warehouse as its read-only role', async () => {
    const { handler } = await coldStart(entry, {
      WAREHOUSE_URL: dashboard().reader.url,
      WAREHOUSE_SECRET_ARN: undefined,
    });

    const response = await handler(httpApiRequest('/api/health'), {} as never);

    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body ?? '{}') as {
      warehouseReachable: boolean;
      tables: { table: string }[];
    };
    expect(body.warehouseReachable).toBe(true);
    expect(body.tables.map((row) => row.table)).toContain('fact_sales_order');
  });

  it('refuses a wrong or missing variable with a ConfigError naming it, not retryable, without the password', async () => {
    const wrong = coldStart(entry, {
      WAREHOUSE_URL: 'mysql://dashboard:Sw0rdfish@warehouse/db',
      WAREHOUSE_SECRET_ARN: undefined,
      WAREHOUSE_STATEMENT_TIMEOUT_MS: '-1',
    });
    await expect(wrong).rejects.toMatchObject({
      name: 'ConfigError',
      retryable: false,
      message: expect.stringMatching(
        /WAREHOUSE_URL: expected a postgresql:\/\/[\s\S]*WAREHOUSE_STATEMENT_TIMEOUT_MS/,
      ),
    });
    await expect(wrong).rejects.not.toMatchObject({ message: expect.stringContaining('Sw0rdfish') });

    const neither = coldStart(entry, { WAREHOUSE_URL: undefined, WAREHOUSE_SECRET_ARN: undefined });
    await expect(neither).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringContaining('set exactly one of WAREHOUSE_URL and WAREHOUSE_SECRET_ARN'),
    });
  });
});
