import { resourceNames, type SourceTableName } from '@totes/pipeline';

/**
 * The names `totes doctor --aws` looks for in a deployment, as the CDK app in `infra/` gives them.
 *
 * Its stacks (`<env>-totes-<part>`), its database secrets, its extract schedules and its alerts
 * topic. Kept in this one place so a change of names in the app is one change here.
 */
export function deploymentNames(environment: string) {
  const names = resourceNames(environment);
  return {
    stacks: ['storage', 'extractor', 'transformer', 'loader', 'reconciler', 'monitoring'].map(
      (part) => `${environment}-totes-${part}`,
    ),
    secrets: [
      { secret: `${environment}/totes/totesys`, database: 'totesys' },
      { secret: `${environment}/totes/warehouse`, database: 'warehouse' },
    ],
    /** The host a created secret holds until the operator writes the real connection. */
    placeholderHost: 'set-me.example.com',
    secretFix: (secret: string) =>
      `aws secretsmanager put-secret-value --secret-id ${secret} --secret-string '{"host":…,"port":5432,"username":…,"password":…,"dbname":…}'`,
    scheduleGroup: `${environment}-totes-extract`,
    incrementalSchedule: (table: SourceTableName) => `${environment}-extract-${table}-incremental`,
    alertsTopic: names.alertsTopic,
  } as const;
}
