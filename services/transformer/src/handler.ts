import { transformerEnvironment } from '@totes/pipeline';
import { loadConfig } from '@totes/runtime';
import { transformerFromEnvironment } from './transformer-from-environment';

/**
 * The Lambda entry point of a transformer.
 *
 * One function per warehouse table, all with this handler, told apart by `TARGET_TABLE` (see
 * `transformerEnvironment` in `@totes/pipeline`).
 */
export const handler = transformerFromEnvironment(loadConfig(transformerEnvironment));
