export { type AnalyticsRefreshConfig, analyticsRefreshConfig } from './analytics-refresh-config';
export { type AnalyticsRefreshDeps, analyticsRefreshFromConfig } from './analytics-refresh-from-config';
export {
  type AnalyticsRefresher,
  type AnalyticsRefresherOptions,
  startAnalyticsRefresher,
} from './analytics-refresher';
export { createDashboardApp, type DashboardDeps } from './dashboard-app';
export { type DashboardConfig, dashboardConfig } from './dashboard-config';
export {
  createDashboardDatabase,
  type DashboardDatabase,
  type DashboardDatabaseOptions,
  type EtlHealthTables,
} from './dashboard-database';
export {
  type DashboardFilter,
  filterQueryString,
  parseDashboardFilter,
  wholePeriod,
} from './dashboard-filter';
export { dashboardFromConfig } from './dashboard-from-config';
export {
  businessPages,
  currencyCodes,
  type Panel,
  type PanelChart,
  type PanelColumn,
  type PanelRow,
  type PanelValue,
  panels,
} from './dashboard-panels';
export {
  type DashboardReaderOptions,
  dashboardReaderUrl,
  dashboardRole,
  prepareDashboardReader,
} from './dashboard-reader';
export { DashboardSecretError } from './dashboard-secret-error';
export { type DashboardServer, type DashboardServerOptions, startDashboardServer } from './dashboard-server';
export {
  type PipelineHealth,
  type PipelineStatus,
  pipelineHealth,
  type TableHealth,
} from './pipeline-health';
export { type AnalyticsRefreshOutcome, refreshAnalytics } from './refresh-analytics';
export {
  type AuthorizerEvent,
  type AuthorizerResult,
  createSessionAuthorizer,
  sessionToken,
  type TokenVerifier,
} from './session-authorizer';
export { sessionCookie, signInCookie } from './session-cookie';
export { createSignInApp, type SignInDeps } from './sign-in-app';
export { type SignInConfig, signInConfig } from './sign-in-config';
