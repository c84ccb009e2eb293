import {
  type MetricStage,
  metricOf,
  pipelineResources,
  type StageMetricName,
  type StageName,
  sourceTableNames,
  sourceTables,
  stageNames,
  type TargetTableName,
  warehouseTableNames,
  warehouseTables,
} from '@totes/pipeline';
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  Alarm,
  type AlarmProps,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IAlarm,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ManagedPolicy } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { DeploymentSettings } from './deployment-settings';
import { operatorPolicy } from './operator-policy';
import { topicArn } from './resource-arns';

/** Props of {@link MonitoringStack}. */
export interface MonitoringStackProps extends StackProps {
  readonly settings: DeploymentSettings;
}

/**
 * The warehouse tables whose freshness is watched: those built from event tables only, which
 * change all day. A dimension built from reference data is as old as its last edit, which may be
 * years ago, and is not late for it.
 */
export function freshnessWatchedTables(): readonly TargetTableName[] {
  return warehouseTableNames.filter((target) => {
    const inputs = warehouseTables[target].inputs;
    return inputs.length > 0 && inputs.every((input) => sourceTables[input].kind === 'event');
  });
}

/** The tables of a stage: one function each. */
function stageTables(stage: StageName): readonly string[] {
  return stage === 'extract' ? sourceTableNames : warehouseTableNames;
}

const fiveMinutes = Duration.minutes(5);

/** A metric the pipeline declares, as a CloudWatch `Metric` identifies it. */
function declaredMetric<S extends MetricStage>(stage: S, name: StageMetricName<S>, table?: string) {
  const { namespace, metricName, dimensions } = metricOf(stage, name, table);
  return { namespace, metricName, dimensionsMap: { ...dimensions } };
}

/**
 * Alarms into the alerts topic (which e-mails): a message in any dead-letter queue, any function
 * error, a watched table's freshness over the SLA, any row quarantined, and any object the
 * reconciler had to re-queue; a dashboard of the same; and the managed
 * policy an operator needs to act on them with `totes … --aws`. Everything is named from the
 * topology, so this stack needs none of the others to be deployed first.
 */
export class MonitoringStack extends Stack {
  readonly alarms: readonly IAlarm[];
  readonly operatorPolicy: ManagedPolicy;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { names, freshnessSlaSeconds } = props.settings;
    const resources = pipelineResources(names);
    const alert = new SnsAction(Topic.fromTopicArn(this, 'Alerts', topicArn(this, names.alertsTopic)));
    const alarms: Alarm[] = [];
    const alarm = (
      id: string,
      props: Omit<AlarmProps, 'evaluationPeriods'> & { evaluationPeriods?: number },
    ) => {
      const created = new Alarm(this, id, {
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        ...props,
        evaluationPeriods: props.evaluationPeriods ?? 1,
      });
      created.addAlarmAction(alert);
      created.addOkAction(alert);
      alarms.push(created);
      return created;
    };

    const queueMetric = (queue: string, metricName: string) =>
      new Metric({
        namespace: 'AWS/SQS',
        metricName,
        dimensionsMap: { QueueName: queue },
        statistic: 'Maximum',
        period: fiveMinutes,
      });
    for (const queue of resources.queues) {
      alarm(`DeadLetters-${queue.stage}-${queue.table}`, {
        alarmName: `${queue.deadLetterQueue} holds messages`,
        alarmDescription: `Messages of ${queue.name} were received ${queue.maxReceiveCount} times without success and wait in ${queue.deadLetterQueue}. \`totes dlq --aws ${names.environment} --stage ${queue.stage} --table ${queue.table}\` lists them with their last error (or the SQS console and the function's log); fix the cause, then move them back with \`totes dlq redrive --aws ${names.environment} --stage ${queue.stage} --table ${queue.table}\` (or the SQS console's "Start DLQ redrive").`,
        metric: queueMetric(queue.deadLetterQueue, 'ApproximateNumberOfMessagesVisible'),
        threshold: 0,
      });
    }

    const functionMetric = (functionName: string, metricName: string, statistic: string) =>
      new Metric({
        namespace: 'AWS/Lambda',
        metricName,
        dimensionsMap: { FunctionName: functionName },
        statistic,
        period: fiveMinutes,
      });
    const functionNames = (stage: StageName) =>
      stageTables(stage).map((table) => names.functionName(stage, table as never));
    for (const stage of stageNames) {
      for (const functionName of functionNames(stage)) {
        alarm(`Errors-${functionName.slice(names.environment.length + 1)}`, {
          alarmName: `${functionName} fails`,
          alarmDescription: `${functionName} ended in an error (a crash or a timeout, not a failed message of a partial batch). See its log group /aws/lambda/${functionName}.`,
          metric: functionMetric(functionName, 'Errors', 'Sum'),
          threshold: 0,
        });
      }
    }

    const freshnessMetric = (table: TargetTableName) =>
      new Metric({
        ...declaredMetric('load', 'freshness_seconds', table),
        statistic: 'Maximum',
        period: fiveMinutes,
      });
    for (const table of freshnessWatchedTables()) {
      alarm(`Freshness-${table}`, {
        alarmName: `${names.environment} ${table} is stale`,
        alarmDescription: `The newest ${table} rows loaded were over ${freshnessSlaSeconds} s old for 15 minutes: look for a backlog in the table's queues and for failures in its functions.`,
        metric: freshnessMetric(table),
        threshold: freshnessSlaSeconds,
        evaluationPeriods: 3,
      });
    }
    for (const table of warehouseTableNames.filter((name) => name !== 'dim_date')) {
      alarm(`Quarantine-${table}`, {
        alarmName: `${names.environment} ${table} quarantines rows`,
        alarmDescription: `The ${table} transformer left source rows out because they broke their contract (a NULL where a value is required, a malformed date or code). The rest of their objects loaded. \`totes quarantine --table ${table}\` lists them with object, line, column, value and reason. Fix the rows in totesys: the next extraction releases them, with no redrive. A transformer fix instead needs \`totes reprocess ${table} --from transform\` with a new generation.`,
        metric: new Metric({
          ...declaredMetric('transform', 'rows_quarantined', table),
          statistic: 'Sum',
          period: fiveMinutes,
        }),
        threshold: 0,
      });
    }
    alarm('Reconciled', {
      alarmName: `${names.environment} reconciliation re-queued objects`,
      alarmDescription: `The reconciler (${names.environment}-reconcile) found stored objects their stage had not consumed in time and sent their events again: a notification was lost, or a stage is far behind. Its log group /aws/lambda/${names.environment}-reconcile names the objects. Nothing is lost; if it repeats for the same objects, look for failures in their stage's function and DLQ.`,
      metric: new Metric({
        ...declaredMetric('reconcile', 'objects_requeued'),
        statistic: 'Sum',
        period: Duration.minutes(15),
      }),
      threshold: 0,
    });
    const reconcilerFunction = `${names.environment}-reconcile`;
    alarm('Errors-reconcile', {
      alarmName: `${reconcilerFunction} fails`,
      alarmDescription: `${reconcilerFunction} ended in an error: lost notifications are not being repaired. See its log group /aws/lambda/${reconcilerFunction}.`,
      metric: functionMetric(reconcilerFunction, 'Errors', 'Sum'),
      threshold: 0,
    });
    this.alarms = alarms;
    this.operatorPolicy = operatorPolicy(this, names);

    const dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${names.environment}-totes`,
      defaultInterval: Duration.hours(3),
    });
    dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms, width: 24, height: 6 }),
      new GraphWidget({
        title: 'Freshness (s): now minus the newest loaded source row',
        left: warehouseTableNames.map((table) => freshnessMetric(table).with({ label: table })),
        width: 24,
      }),
    );
    for (const stage of stageNames) {
      const queues = resources.queues.filter((queue) => queue.stage === stage);
      dashboard.addWidgets(
        new GraphWidget({
          title: `${stage}: messages waiting`,
          left: queues.map((queue) =>
            queueMetric(queue.name, 'ApproximateNumberOfMessagesVisible').with({
              label: String(queue.table),
            }),
          ),
          width: 8,
        }),
        new GraphWidget({
          title: `${stage}: dead letters`,
          left: queues.map((queue) =>
            queueMetric(queue.deadLetterQueue, 'ApproximateNumberOfMessagesVisible').with({
              label: String(queue.table),
            }),
          ),
          width: 8,
        }),
        new GraphWidget({
          title: `${stage}: errors`,
          left: stageTables(stage).map((table) =>
            functionMetric(names.functionName(stage, table as never), 'Errors', 'Sum').with({ label: table }),
          ),
          width: 8,
        }),
      );
    }
  }
}
