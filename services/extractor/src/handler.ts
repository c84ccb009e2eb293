import { connectionStringFromSecretArn, loadConfig } from '@totes/runtime';
import { createExtractHandler } from './create-extract-handler';
import { ExtractorEnvironment } from './extractor-environment';

// The Lambda entry of a table's extractor (TABLE names the table): configuration from the
// environment at cold start; the secret, when used, is fetched at the first request (and again
// when totesys refuses the login).
const { source, ...settings } = loadConfig(ExtractorEnvironment);

export const handler = createExtractHandler({
  ...settings,
  totesysUrl: 'url' in source ? source.url : () => connectionStringFromSecretArn(source.secretArn),
});
