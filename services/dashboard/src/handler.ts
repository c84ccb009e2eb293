import { loadConfig } from '@totes/runtime';
import { handle } from 'hono/aws-lambda';
import { dashboardConfig } from './dashboard-config';
import { dashboardFromConfig } from './dashboard-from-config';

/**
 * The Lambda entry point of the dashboard; {@link dashboardConfig} is its environment.
 *
 * It sits behind an HTTP API whose every route requires a signed-in user (see
 * infra/src/dashboard-stack.ts).
 */
export const handler = handle(dashboardFromConfig(loadConfig(dashboardConfig)));
