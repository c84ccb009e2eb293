import { loadConfig } from '@totes/runtime';
import { loaderConfig } from './loader-config';
import { loaderFromConfig } from './loader-from-config';

/**
 * The Lambda entry point of a loader: one function per warehouse table, all with this handler,
 * told apart by `TARGET_TABLE` (see {@link loaderConfig} for the environment).
 */
export const handler = loaderFromConfig(loadConfig(loaderConfig));
