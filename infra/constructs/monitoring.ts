import { Duration, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from './pipeline-function';

export interface MonitoringProps {
  readonly ingest: lambda.IFunction;
  readonly api: lambda.IFunction;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  /** Stream batches the derive and count consumers gave up on (infra/constructs/stream-consumers.ts). */
  readonly deriveFailures: sqs.IQueue;
  readonly countFailures: sqs.IQueue;
  readonly httpApi: apigw.IHttpApi;
  readonly table: dynamodb.ITable;
  /** The verify state machine (infra/constructs/verify.ts): its failures, and the drift its reports count. */
  readonly verify: sfn.IStateMachine;
  /** Scheduled verify starts that could not be made (only with -c verifySchedule). */
  readonly verifyScheduleDeadLetters?: sqs.IQueue | undefined;
  /** Also e-mail every alarm and recovery here; the topic exists either way. */
  readonly alarmEmail?: string | undefined;
}

const PERIOD = Duration.minutes(5);
const MINUTE = Duration.minutes(1);

/**
 * The thresholds, in one place so the runbooks (docs/operations.md) and the tests agree.
 * - queueAge: a notification normally leaves the queue in seconds, and a failing one is retried for 30 minutes
 *   (5 receives, 6 minutes apart) before the DLQ takes it. 15 minutes of age means the function is not consuming
 *   (event source disabled, function broken or throttled): alarm long before the 4-day retention drops anything.
 * - api5xxPercent / api5xxPeriods: a rate, not a count, so one error in a quiet hour is no page; 3 of 5 minutes
 *   above 5% is an outage, not a blip.
 * - apiP99Ms: the API answers in tens of milliseconds (one or two key lookups); a p99 of 2 s over 2 of 3
 *   5-minute periods means a slow table, throttled reads, or cold starts piling up.
 */
export const ALARM_TUNING = {
  queueAge: Duration.minutes(15),
  api5xxPercent: 5,
  api5xxPeriods: { datapointsToAlarm: 3, evaluationPeriods: 5 },
  apiP99Ms: 2_000,
  apiLatencyPeriods: { datapointsToAlarm: 2, evaluationPeriods: 3 },
} as const;

/** Where the runbooks live, relative to the repository root. */
export const RUNBOOK_FILE = 'docs/operations.md';

/**
 * The anchor of an alarm's runbook section: docs/operations.md has one heading per alarm, named exactly as the
 * alarm's construct id (`## DeadLetters`), and GitHub's anchor of such a heading is the id lower-cased.
 */
export const runbookAnchor = (alarmId: string): string => alarmId.toLowerCase();

/**
 * An alarm's description: what fired, then where its runbook is, so the anchor comes from the alarm's id in one
 * place (tests/docs checks every alarm's anchor exists). Any construct that creates an alarm uses this.
 */
export const alarmDescription = (alarmId: string, whatFired: string): string =>
  `${whatFired} Runbook: ${RUNBOOK_FILE}#${runbookAnchor(alarmId)}`;

/** The ingest's own count of records that threw (functions/ingest/ingest.ts), published through Powertools EMF. */
export const RECORDS_FAILED_METRIC = 'RecordsFailed';

/** What a verify run found, published by its report step (functions/verify/run.ts). */
export const VERIFY_DRIFT_METRIC = 'VerifyDriftFound';

/**
 * Alarms for the failures a user must hear about, and one dashboard. Alarms on events that should not happen at
 * all in a healthy pipeline (a dead letter, a failed record, a throttle) fire on the first one; the API's error
 * rate and latency fire on M of N periods. Missing data (an idle stack) is healthy. Every alarm and its recovery
 * go to one SNS topic, a stack output; `-c alarmEmail=...` subscribes an address, anything else subscribes itself.
 */
export class Monitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { ingest, api, queue, deadLetterQueue, httpApi, table } = props;

    const dlqDepth = deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: PERIOD,
      statistic: 'Maximum',
    });
    const queueAge = queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' });
    const ingestErrors = ingest.metricErrors({ period: PERIOD, statistic: 'Sum' });
    // One-minute periods: a poison record shows within minutes, not when it reaches the DLQ half an hour later.
    const recordsFailed = new cloudwatch.Metric({
      namespace: METRICS_NAMESPACE,
      metricName: RECORDS_FAILED_METRIC,
      dimensionsMap: { service: 'ingest' },
      period: MINUTE,
      statistic: 'Sum',
    });
    const api5xx = httpApi.metricServerError({ period: PERIOD, statistic: 'Sum' });
    const api5xxRate = new cloudwatch.MathExpression({
      expression: 'IF(requests > 0, 100 * errors / requests, 0)',
      usingMetrics: {
        errors: httpApi.metricServerError({ period: MINUTE, statistic: 'Sum' }),
        requests: httpApi.metricCount({ period: MINUTE, statistic: 'Sum' }),
      },
      label: 'API 5xx (% of requests)',
      period: MINUTE,
    });
    const apiP99 = httpApi.metricLatency({ period: PERIOD, statistic: 'p99' });
    const ingestThrottles = ingest.metricThrottles({ period: PERIOD, statistic: 'Sum' });
    const apiThrottles = api.metricThrottles({ period: PERIOD, statistic: 'Sum' });
    // On-demand tables throttle too (past the table's or account's limits); these count throttled events of
    // every operation on the table.
    const tableThrottles = new cloudwatch.MathExpression({
      expression: 'FILL(r, 0) + FILL(w, 0)',
      usingMetrics: {
        r: table.metric('ReadThrottleEvents', { period: PERIOD, statistic: 'Sum' }),
        w: table.metric('WriteThrottleEvents', { period: PERIOD, statistic: 'Sum' }),
      },
      label: 'Table throttle events',
      period: PERIOD,
    });

    const alarm = (
      name: string,
      metric: cloudwatch.IMetric,
      description: string,
      options: { threshold?: number; datapointsToAlarm?: number; evaluationPeriods?: number } = {},
    ) => {
      const created = new cloudwatch.Alarm(this, name, {
        metric,
        threshold: options.threshold ?? 1,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        ...(options.datapointsToAlarm ? { datapointsToAlarm: options.datapointsToAlarm } : {}),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: alarmDescription(name, description),
      });
      this.alarms.push(created);
      return created;
    };
    alarm('DeadLetters', dlqDepth, 'Notifications failed ingest 5 times and sit in the DLQ.');
    alarm(
      'DeriveFailures',
      props.deriveFailures.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
      'The derive consumer gave up on a stream batch after its retries: some articles lack their list entries (their outcome has no indexedAt).',
    );
    alarm(
      'CountFailures',
      props.countFailures.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
      'The count consumer gave up on a stream batch after its retries: some entity counts are off.',
    );
    alarm(
      'RecordsFailed',
      recordsFailed,
      'An ingest record failed; it is retried every 6 minutes and reaches the DLQ after 5 receives.',
    );
    alarm(
      'QueueAge',
      queueAge,
      'The oldest ingest notification waited 15 minutes or more: the function is not consuming the queue (event source disabled, function failing or throttled). Messages expire after 4 days.',
      { threshold: ALARM_TUNING.queueAge.toSeconds() },
    );
    alarm(
      'IngestErrors',
      ingestErrors,
      'The ingest function failed whole invocations (crash, timeout, bad config).',
    );
    alarm(
      'Api5xxRate',
      api5xxRate,
      `Over ${ALARM_TUNING.api5xxPercent}% of API requests answered 5xx in 3 of 5 minutes: a handler bug, a timeout or a throttled function.`,
      { threshold: ALARM_TUNING.api5xxPercent, ...ALARM_TUNING.api5xxPeriods },
    );
    alarm(
      'ApiLatencyP99',
      apiP99,
      `The API's p99 latency reached ${ALARM_TUNING.apiP99Ms} ms in 2 of 3 5-minute periods: a slow or throttled table, or cold starts piling up.`,
      { threshold: ALARM_TUNING.apiP99Ms, ...ALARM_TUNING.apiLatencyPeriods },
    );
    alarm(
      'IngestThrottles',
      ingestThrottles,
      'Lambda throttled the ingest function (account concurrency exhausted).',
    );
    alarm(
      'ApiThrottles',
      apiThrottles,
      'Lambda throttled the API function: its reserved concurrency (apiReservedConcurrency) is all in use.',
    );
    alarm(
      'VerifyDrift',
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: VERIFY_DRIFT_METRIC,
        dimensionsMap: { service: 'verify' },
        period: Duration.hours(1),
        statistic: 'Sum',
      }),
      'A verify run found drift between the bucket and the table (a lost event, a lost stream record, damage); its report says what, and whether it was mended.',
    );
    alarm(
      'VerifyFailed',
      new cloudwatch.MathExpression({
        expression: 'FILL(f, 0) + FILL(t, 0) + FILL(a, 0)',
        usingMetrics: {
          f: props.verify.metricFailed({ period: PERIOD, statistic: 'Sum' }),
          t: props.verify.metricTimedOut({ period: PERIOD, statistic: 'Sum' }),
          a: props.verify.metricAborted({ period: PERIOD, statistic: 'Sum' }),
        },
        label: 'Verify runs failed, timed out or aborted',
        period: PERIOD,
      }),
      'A verify run failed, timed out or was aborted: the table was not checked.',
    );
    if (props.verifyScheduleDeadLetters)
      alarm(
        'VerifyNotStarted',
        props.verifyScheduleDeadLetters.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: 'Maximum',
        }),
        'EventBridge Scheduler could not start a scheduled verify run: the table went unchecked.',
      );
    alarm('TableThrottles', tableThrottles, 'DynamoDB throttled reads or writes on the article table.');

    this.topic = this.notify(props.alarmEmail);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: [
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 3 })],
        [
          graph('Ingest invocations, errors, failed records', [
            ingest.metricInvocations({ period: PERIOD }),
            ingestErrors,
            recordsFailed,
          ]),
          graph('Ingest duration (p99)', [ingest.metricDuration({ period: PERIOD, statistic: 'p99' })]),
          graph('Queue backlog', [
            queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
            queueAge,
            dlqDepth,
          ]),
        ],
        [
          graph('API requests, 4xx, 5xx', [
            httpApi.metricCount({ period: PERIOD, statistic: 'Sum' }),
            httpApi.metricClientError({ period: PERIOD, statistic: 'Sum' }),
            api5xx,
          ]),
          graph('API latency (p50, p99)', [
            httpApi.metricLatency({ period: PERIOD, statistic: 'p50' }),
            apiP99,
          ]),
          graph('Throttles', [ingestThrottles, apiThrottles, tableThrottles]),
        ],
        [
          graph('Table consumed capacity', [
            table.metricConsumedReadCapacityUnits({ period: PERIOD }),
            table.metricConsumedWriteCapacityUnits({ period: PERIOD }),
          ]),
        ],
      ],
    });
  }

  /** The one topic every alarm and recovery goes to; an e-mail subscription only if an address is given. */
  private notify(email: string | undefined): sns.Topic {
    const topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'News pipeline alarms',
      enforceSSL: true,
    });
    const action = new SnsAction(topic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    if (email) {
      const subscription = new sns.Subscription(this, 'AlarmEmail', {
        topic,
        protocol: sns.SubscriptionProtocol.EMAIL,
        endpoint: email,
      });
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'An e-mail subscription: SNS retries e-mail delivery itself, and the alarm state stays visible in CloudWatch if a notification is lost, so a DLQ queue would add a resource without a reader.',
      });
    }
    return topic;
  }
}

const graph = (title: string, left: cloudwatch.IMetric[]) =>
  new cloudwatch.GraphWidget({ title, left, width: 8 });
