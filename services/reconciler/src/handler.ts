import { reconcilerEnvironment } from '@totes/pipeline';
import { loadConfig } from '@totes/runtime';
import { reconcilerFromEnvironment } from './reconciler-from-environment';

/**
 * The Lambda entry point of the reconciler, invoked by its schedule (the event is not read).
 *
 * See `reconcilerEnvironment` in `@totes/pipeline`.
 */
export const handler = reconcilerFromEnvironment(loadConfig(reconcilerEnvironment));
