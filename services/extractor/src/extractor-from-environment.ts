import type { ExtractorEnvironment } from '@totes/pipeline';
import type { SqsHandler } from '@totes/runtime';
import { connectionStringFromSecretArn } from '@totes/runtime/database';
import { createExtractHandler } from './create-extract-handler';

/**
 * The extractor of `env.table` with its real parts; the totesys secret, when used, is fetched at
 * the first request (and again when totesys refuses the login). The Lambda entry calls it with
 * the parsed environment.
 */
export function extractorFromEnvironment(env: ExtractorEnvironment): SqsHandler {
  const { source, ...settings } = env;
  return createExtractHandler({
    ...settings,
    totesysUrl: 'url' in source ? source.url : () => connectionStringFromSecretArn(source.secretArn),
  });
}
