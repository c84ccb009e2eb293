import { loaderEnvironment } from '@totes/pipeline';
import { loadConfig } from '@totes/runtime';
import { loaderFromEnvironment } from './loader-from-environment';

/**
 * The Lambda entry point of a loader.
 *
 * One function per warehouse table, all with this handler, told apart by `TARGET_TABLE` (see
 * `loaderEnvironment` in `@totes/pipeline`).
 */
export const handler = loaderFromEnvironment(loadConfig(loaderEnvironment));
