import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadConfig } from '@totes/runtime';
import { createExtractHandler } from './create-extract-handler';
import { ExtractorEnvironment } from './extractor-environment';
import { connectionStringFromSecret } from './secret-connection-string';

// The Lambda entry of a table's extractor (TABLE names the table): configuration from the
// environment at cold start; the secret, when used, is fetched once, at the first request.
const { source, ...settings } = loadConfig(ExtractorEnvironment);

async function fromSecret(secretArn: string): Promise<string> {
  const { SecretString } = await new SecretsManagerClient({}).send(
    new GetSecretValueCommand({ SecretId: secretArn }),
  );
  if (!SecretString) throw new Error(`the secret ${secretArn} has no string value`);
  return connectionStringFromSecret(SecretString);
}

export const handler = createExtractHandler({
  ...settings,
  totesysUrl: 'url' in source ? source.url : () => fromSecret(source.secretArn),
});
