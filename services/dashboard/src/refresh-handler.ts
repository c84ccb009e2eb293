import { loadConfig } from '@totes/runtime';
import { analyticsRefreshConfig } from './analytics-refresh-config';
import { analyticsRefreshFromConfig } from './analytics-refresh-from-config';

/**
 * The Lambda entry point of the scheduled analytics refresh.
 *
 * The dashboard stack's `<env>-analytics-refresh`, invoked by its schedule (the event is not
 * read); {@link analyticsRefreshConfig} is its environment.
 */
export const handler = analyticsRefreshFromConfig(loadConfig(analyticsRefreshConfig));
