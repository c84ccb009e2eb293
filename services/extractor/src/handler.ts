import { extractorEnvironment } from '@totes/pipeline';
import { loadConfig } from '@totes/runtime';
import { extractorFromEnvironment } from './extractor-from-environment';

/**
 * The Lambda entry point of an extractor.
 *
 * One function per source table, all with this handler, told apart by `TABLE` (see
 * `extractorEnvironment` in `@totes/pipeline`).
 */
export const handler = extractorFromEnvironment(loadConfig(extractorEnvironment));
