import { extractorEnvironment } from '@totes/pipeline';
import { loadConfig } from '@totes/runtime';
import { extractorFromEnvironment } from './extractor-from-environment';

/**
 * The Lambda entry point of the extractor.
 *
 * One function for every source table, fed by the extract FIFO queue; each request names its
 * table (see `extractorEnvironment` in `@totes/pipeline`).
 */
export const handler = extractorFromEnvironment(loadConfig(extractorEnvironment));
