import { loadConfig } from '@totes/runtime';
import { reconcilerConfig } from './reconciler-config';
import { reconcilerFromConfig } from './reconciler-from-config';

/**
 * The Lambda entry point of the reconciler, invoked by its schedule (the event is not read); see
 * {@link reconcilerConfig} for the environment.
 */
export const handler = reconcilerFromConfig(loadConfig(reconcilerConfig));
