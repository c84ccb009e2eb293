import {
  deadLettersMetricOf,
  freshnessWatchedTables,
  type MetricReference,
  type MetricStage,
  metricOf,
  pipelineResources,
  type SourceTableName,
  type StageMetricName,
  sourceTableNames,
  stageNames,
  stageSettings,
  stageWideMetricOf,
  type TargetTableName,
} from '@totes/pipeline';
import { Aws, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import {
  Alarm,
  type AlarmProps,
  AlarmRule,
  AlarmStatusWidget,
  ComparisonOperator,
  CompositeAlarm,
  Dashboard,
  GraphWidget,
  type IAlarm,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { databaseSecretName } from './database-secret';
import type { DeploymentSettings } from './deployment-settings';
import { extractScheduleGroup, scheduleDeadLetterQueue } from './extractor-stack';
import { type OperatorPolicies, operatorPolicies } from './operator-policy';
import { topicArn } from './resource-arns';

/** Props of {@link MonitoringStack}. */
export interface MonitoringStackProps extends StackProps {
  readonly settings: DeploymentSettings;
  /** The deployment's stacks, which `totes doctor --aws` checks with the operator's rights. */
  readonly pipelineStacks: readonly string[];
}

const fiveMinutes = Duration.minutes(5);

/** A metric the pipeline declares, as a CloudWatch `Metric` identifies it. */
function declaredMetric<S extends MetricStage>(stage: S, name: StageMetricName<S>, table?: string) {
  return metricProps(metricOf(stage, name, table));
}

/** The props of a CloudWatch `Metric` for a declared metric reference. */
function metricProps({ namespace, metricName, dimensions }: MetricReference) {
  return { namespace, metricName, dimensionsMap: { ...dimensions } };
}

/**
 * The minutes between two runs of a `rate(…)` schedule; an hour for a `cron(…)` one, whose
 * runs are at least that far apart in any use this deployment makes of it.
 */
export function scheduleIntervalMinutes(expression: string): number {
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (!rate) return 60;
  const perUnit = { minute: 1, hour: 60, day: 1440 } as const;
  return Number(rate[1]) * perUnit[rate[2] as keyof typeof perUnit];
}

/** What an alarm of the pipeline's composite watches, so its description says what it gathers. */
type AlarmOwner = MetricStage | 'schedules';

/**
 * Alarms into the alerts topic, built to send one e-mail per outage rather than one per table or
 * stage: the stages' alarms (each stage's dead letters, which the reconciler counts; an extract
 * request waiting past twice the SLA, one per table; the schedules' heartbeat, drops and dead
 * letters; quarantined rows and stale facts, each on one stage-wide metric) have no action of
 * their own and are gathered into one composite alarm (`<env> pipeline fails`), which e-mails
 * when any of them is in alarm and again when all are OK.
 *
 * Beside it, e-mailing on their own: the heartbeat while the schedules are off, Lambda throttling
 * in the region, and the reconciler's errors and re-queued objects, the analytics refresh's
 * errors. The metrics the pipeline publishes itself (dead letters, quarantined rows, freshness,
 * re-queues) are written only when they have something to say, so an idle deployment pays for
 * none of them; the others AWS publishes at no charge (docs/cost.md counts the alarm metrics,
 * docs/decisions/0020 why these). A dashboard shows the same, and the managed policies an
 * operator needs to act on them with `totes … --aws`. Everything is named from the topology, so
 * this stack needs none of the others to be deployed first.
 */
export class MonitoringStack extends Stack {
  /** Every metric alarm, with or without an action of its own. */
  readonly alarms: readonly Alarm[];
  /** The one composite alarm over every alarm of the stages, the only one of them that e-mails. */
  readonly pipelineAlarm: CompositeAlarm;
  /** The alarm that fires when the extraction schedules stop. */
  readonly heartbeat: Alarm;
  readonly operatorPolicies: OperatorPolicies;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { names, freshnessSlaSeconds } = props.settings;
    const schedulesOn = props.settings.schedules === 'on';
    const resources = pipelineResources(names);
    const alert = new SnsAction(Topic.fromTopicArn(this, 'Alerts', topicArn(this, names.alertsTopic)));
    const alarms: Alarm[] = [];
    const children: { readonly owner: AlarmOwner; readonly alarm: Alarm }[] = [];
    /** An alarm: a child of the pipeline's (no action; the composite e-mails), or one that e-mails itself. */
    const alarm = (
      id: string,
      owner: AlarmOwner | 'alone',
      props: Omit<AlarmProps, 'evaluationPeriods'> & { evaluationPeriods?: number },
    ) => {
      const created = new Alarm(this, id, {
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        ...props,
        evaluationPeriods: props.evaluationPeriods ?? 1,
      });
      if (owner === 'alone') {
        created.addAlarmAction(alert);
        created.addOkAction(alert);
      } else {
        children.push({ owner, alarm: created });
      }
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
    // One alarm per stage on the reconciler's `dead_letters`: it reads every DLQ's depth each run
    // and publishes the stage's total only when some hold messages (docs/decisions/0020). Its
    // period is the reconciler's interval, and two of them are looked at, so a run a little late
    // does not make it OK and then ALARM again (two e-mails) while the messages still wait.
    const reconcileMinutes = scheduleIntervalMinutes(props.settings.reconcileSchedule);
    for (const stage of stageNames) {
      alarm(`DeadLetters-${stage}`, stage, {
        alarmName: `${names.environment} ${stage} dead letters`,
        alarmDescription: `Messages of ${stage} queues were received ${stageSettings[stage].maxReceiveCount} times without success and wait in their DLQs (the reconciler counts them every ${reconcileMinutes} min; its log group /aws/lambda/${names.environment}-reconcile names the tables). \`totes dlq --aws ${names.environment} --stage ${stage}\` lists them with their last error; fix the cause, then move them back with \`totes dlq redrive --aws ${names.environment} --stage ${stage}\` (--table to choose one table).`,
        metric: new Metric({
          ...metricProps(deadLettersMetricOf(stage)),
          statistic: 'Maximum',
          period: Duration.minutes(reconcileMinutes),
        }),
        threshold: 0,
        evaluationPeriods: 2,
        datapointsToAlarm: 1,
      });
    }

    // Extraction: a request waiting longer than twice the SLA means its extractor is not taking
    // them (its event source off, its concurrency gone). A failing extraction needs no alarm of
    // its own: its request is retried with backoff (10 + 20 + 40 + 80 s) and then dead-lettered,
    // so the extract stage's dead-letter alarm above fires at the reconciler's next run
    // (docs/decisions/0018, 0020).
    const waitLimitSeconds = 2 * freshnessSlaSeconds;
    // One extract queue for every table: its oldest request is the oldest of any table.
    for (const queue of resources.queues.filter((queue) => queue.stage === 'extract')) {
      alarm('OldestRequest-extract', 'extract', {
        alarmName: `${queue.name} holds a request older than ${waitLimitSeconds} s`,
        alarmDescription: `An extract request has waited over ${waitLimitSeconds} s in ${queue.name}: ${names.functionName('extract', sourceTableNames[0] as SourceTableName)} is not taking its messages (its event source disabled, throttled, or failing before it starts). See its log group (each line names its table) and \`totes status --aws ${names.environment}\`.`,
        metric: queueMetric(queue.name, 'ApproximateAgeOfOldestMessage'),
        threshold: waitLimitSeconds,
      });
    }

    const scheduleGroup = extractScheduleGroup(names.environment);
    const schedulerMetric = (metricName: string) =>
      new Metric({
        namespace: 'AWS/Scheduler',
        metricName,
        dimensionsMap: { ScheduleGroup: scheduleGroup },
        statistic: 'Sum',
        period: fiveMinutes,
      });
    this.heartbeat = alarm('Heartbeat', schedulesOn ? 'schedules' : 'alone', {
      alarmName: `${names.environment} extraction schedules stopped`,
      alarmDescription: `The schedules of ${scheduleGroup} made no attempt for 15 minutes: nothing is extracted. Are they enabled (\`-c schedules=on\`, docs: infra/README.md), and the group there?`,
      metric: schedulerMetric('InvocationAttemptCount'),
      comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
      threshold: 1,
      evaluationPeriods: 3,
      // No data at all is the pipeline stopped, not a quiet one.
      treatMissingData: TreatMissingData.BREACHING,
      actionsEnabled: schedulesOn,
    });
    alarm('SchedulesDropped', 'schedules', {
      alarmName: `${names.environment} extraction schedules dropped requests`,
      alarmDescription: `EventBridge Scheduler dropped invocations of ${scheduleGroup} (their target failed past the retries and the dead-letter queue could not take them): extract requests were lost; the next ones take the same rows.`,
      metric: schedulerMetric('InvocationDroppedCount'),
      threshold: 0,
    });
    alarm('ScheduleDeadLetters-extract', 'schedules', {
      alarmName: `${scheduleDeadLetterQueue(names.environment, 'extract')} holds messages`,
      alarmDescription: `EventBridge Scheduler could not send extract requests to their queues (a queue deleted, its policy or key changed); the undelivered invocations wait in ${scheduleDeadLetterQueue(names.environment, 'extract')}, with the error in their attributes.`,
      metric: queueMetric(
        scheduleDeadLetterQueue(names.environment, 'extract'),
        'ApproximateNumberOfMessagesVisible',
      ),
      threshold: 0,
    });

    const freshnessMetric = (table: TargetTableName) =>
      new Metric({
        ...declaredMetric('load', 'freshness_seconds', table),
        statistic: 'Maximum',
        period: fiveMinutes,
      });
    // Freshness and quarantine: one alarm each, on the stage-wide metric the loaders of the
    // watched tables and every transformer publish beside their own (`stageWideMetrics`), so two
    // alarm metrics instead of one a table; the table is in each function's log and metrics.
    const watched = freshnessWatchedTables();
    alarm('Freshness', 'load', {
      alarmName: `${names.environment} warehouse is stale`,
      alarmDescription: `The newest rows loaded into ${watched.join(', ')} were over ${freshnessSlaSeconds} s old for 15 minutes: look for a backlog in their queues (\`totes status --aws ${names.environment}\`) and failures in their functions. The dashboard's freshness graph shows which table.`,
      metric: new Metric({
        ...metricProps(stageWideMetricOf('load', 'freshness_seconds')),
        statistic: 'Maximum',
        period: fiveMinutes,
      }),
      threshold: freshnessSlaSeconds,
      evaluationPeriods: 3,
    });
    alarm('Quarantine', 'transform', {
      alarmName: `${names.environment} transformers quarantine rows`,
      alarmDescription: `A transformer left source rows out because they broke their contract (a NULL where a value is required, a malformed date or code). The rest of their objects loaded. \`totes quarantine\` lists them with table, object, line, column, value and reason (--table to choose one). Fix the rows in totesys: the next extraction releases them, with no redrive. A transformer fix instead needs \`totes reprocess <table> --from transform\` with a new generation.`,
      metric: new Metric({
        ...metricProps(stageWideMetricOf('transform', 'rows_quarantined')),
        statistic: 'Sum',
        period: fiveMinutes,
      }),
      threshold: 0,
    });

    // One composite alarm for the whole pipeline: one outage, however many stages and tables it
    // touches, is one e-mail, and one more when all is well again.
    const gathered = new Set(children.map((child) => child.owner));
    const pipelineAlarm = new CompositeAlarm(this, 'Pipeline', {
      compositeAlarmName: `${names.environment} pipeline fails`,
      alarmDescription: [
        `One or more alarms of the ${names.environment} pipeline are in alarm; the console's alarm list shows which, each saying what to do.`,
        'It gathers: the dead letters of each stage (extract, transform, load), an extract request waiting past twice the SLA',
        gathered.has('schedules')
          ? "the extraction schedules' heartbeat, dropped and undelivered invocations"
          : "the extraction schedules' dropped and undelivered invocations",
        'rows quarantined by any transformer, and a fact table staler than the SLA.',
      ].join('; '),
      alarmRule: AlarmRule.anyOf(...children.map((child) => child.alarm)),
    });
    pipelineAlarm.addAlarmAction(alert);
    pipelineAlarm.addOkAction(alert);
    this.pipelineAlarm = pipelineAlarm;

    alarm('Throttles', 'alone', {
      alarmName: `${names.environment} Lambda throttles (region ${Aws.REGION})`,
      alarmDescription: `Lambda throttled invocations in this account and region (AWS publishes throttles for the whole region at no charge, not per function): a stage may be held back. The functions' maximum concurrency is stageSettings; the account's limit is in Service Quotas.`,
      metric: new Metric({
        namespace: 'AWS/Lambda',
        metricName: 'Throttles',
        statistic: 'Sum',
        period: fiveMinutes,
      }),
      threshold: 0,
      evaluationPeriods: 3,
    });
    alarm('Reconciled', 'alone', {
      alarmName: `${names.environment} reconciliation re-queued objects`,
      alarmDescription: `The reconciler (${names.environment}-reconcile) found stored objects their stage had not consumed in time and sent their events again: a notification was lost, or a stage is far behind. Its log group /aws/lambda/${names.environment}-reconcile names the objects. Nothing is lost; if it repeats for the same objects, look for failures in their stage's function and DLQ.`,
      metric: new Metric({
        ...declaredMetric('reconcile', 'objects_requeued'),
        statistic: 'Sum',
        period: Duration.minutes(15),
      }),
      threshold: 0,
    });
    const functionMetric = (functionName: string, metricName: string, statistic: string) =>
      new Metric({
        namespace: 'AWS/Lambda',
        metricName,
        dimensionsMap: { FunctionName: functionName },
        statistic,
        period: fiveMinutes,
      });
    const reconcilerFunction = `${names.environment}-reconcile`;
    alarm('Errors-reconcile', 'alone', {
      alarmName: `${reconcilerFunction} fails`,
      alarmDescription: `${reconcilerFunction} ended in an error, or its schedule could not invoke it: lost notifications are not being repaired. See its log group /aws/lambda/${reconcilerFunction} and ${scheduleDeadLetterQueue(names.environment, 'reconcile')}.`,
      metric: new MathExpression({
        expression: 'errors + undelivered',
        usingMetrics: {
          errors: functionMetric(reconcilerFunction, 'Errors', 'Sum'),
          undelivered: queueMetric(
            scheduleDeadLetterQueue(names.environment, 'reconcile'),
            'ApproximateNumberOfMessagesVisible',
          ),
        },
        period: fiveMinutes,
      }),
      threshold: 0,
    });
    const refreshFunction = `${names.environment}-analytics-refresh`;
    alarm('Errors-analytics-refresh', 'alone', {
      alarmName: `${refreshFunction} fails`,
      alarmDescription: `${refreshFunction} (the dashboard stack) ended in an error, or its schedule could not invoke it: the dashboard's analytics views are not being refreshed, or its read-only role's password not set. See its log group /aws/lambda/${refreshFunction} and ${scheduleDeadLetterQueue(names.environment, 'analytics-refresh')}.`,
      metric: new MathExpression({
        expression: 'errors + undelivered',
        usingMetrics: {
          errors: functionMetric(refreshFunction, 'Errors', 'Sum'),
          undelivered: queueMetric(
            scheduleDeadLetterQueue(names.environment, 'analytics-refresh'),
            'ApproximateNumberOfMessagesVisible',
          ),
        },
        period: fiveMinutes,
      }),
      threshold: 0,
    });
    this.alarms = alarms;
    const { totesysSecretArn, warehouseSecretArn } = props.settings;
    this.operatorPolicies = operatorPolicies(this, names, {
      stacks: props.pipelineStacks,
      secrets: [
        totesysSecretArn
          ? { arn: totesysSecretArn }
          : { name: databaseSecretName(names.environment, 'totesys') },
        warehouseSecretArn
          ? { arn: warehouseSecretArn }
          : { name: databaseSecretName(names.environment, 'warehouse') },
      ],
    });

    const dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${names.environment}-totes-${Aws.REGION}`,
      defaultInterval: Duration.hours(3),
    });
    dashboard.addWidgets(
      new AlarmStatusWidget({
        title: 'Alarms',
        alarms: [pipelineAlarm, ...alarms.filter((a) => !isChild(a))],
        width: 24,
        height: 6,
      }),
      new GraphWidget({
        title: 'Freshness (s): now minus the newest loaded source row',
        left: freshnessWatchedTables().map((table) => freshnessMetric(table).with({ label: table })),
        width: 24,
      }),
    );
    function isChild(candidate: IAlarm): boolean {
      return children.some((child) => child.alarm === candidate);
    }
    // CloudWatch's free tier holds three dashboards of up to 50 metrics: this one keeps to 36
    // (freshness, and the dead letters of every queue); queue depths and errors are in `totes
    // status --aws` and each function's own console page.
    dashboard.addWidgets(
      ...stageNames.map(
        (stage) =>
          new GraphWidget({
            title: `${stage}: dead letters`,
            left: resources.queues
              .filter((queue) => queue.stage === stage)
              .map((queue) =>
                queueMetric(queue.deadLetterQueue, 'ApproximateNumberOfMessagesVisible').with({
                  label: queue.table ?? queue.stage,
                }),
              ),
            width: 8,
          }),
      ),
    );
  }
}
