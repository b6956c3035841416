import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface MonitoringProps {
  readonly ingest: lambda.IFunction;
  readonly api: lambda.IFunction;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly httpApi: apigw.IHttpApi;
  readonly table: dynamodb.ITable;
}

const PERIOD = Duration.minutes(5);

/**
 * Alarms for the failures a user must hear about, and one dashboard. Every alarm fires on the first bad data
 * point (threshold 1, one 5-minute period) because each counts an event that should not happen at all in a
 * healthy pipeline; missing data (an idle stack) is healthy. Alarms carry no actions: wire them to an SNS topic
 * or an incident tool of your choice (see the README).
 */
export class Monitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { ingest, api, queue, deadLetterQueue, httpApi, table } = props;

    const dlqDepth = deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      period: PERIOD,
      statistic: 'Maximum',
    });
    const ingestErrors = ingest.metricErrors({ period: PERIOD, statistic: 'Sum' });
    const api5xx = httpApi.metricServerError({ period: PERIOD, statistic: 'Sum' });
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

    const alarm = (name: string, metric: cloudwatch.IMetric, description: string) => {
      const created = new cloudwatch.Alarm(this, name, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      this.alarms.push(created);
      return created;
    };
    alarm(
      'DeadLetters',
      dlqDepth,
      'Notifications failed ingest 5 times and sit in the DLQ. Read the ingest logs for the key, fix, then redrive the DLQ.',
    );
    alarm(
      'IngestErrors',
      ingestErrors,
      'The ingest function failed whole invocations (crash, timeout, bad config).',
    );
    alarm('Api5xx', api5xx, 'The API answered 5xx: a handler bug, a timeout or a throttled function.');
    alarm(
      'IngestThrottles',
      ingestThrottles,
      'Lambda throttled the ingest function (account concurrency exhausted).',
    );
    alarm('ApiThrottles', apiThrottles, 'Lambda throttled the API function (account concurrency exhausted).');
    alarm('TableThrottles', tableThrottles, 'DynamoDB throttled reads or writes on the article table.');

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
      widgets: [
        [new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 3 })],
        [
          graph('Ingest invocations and errors', [
            ingest.metricInvocations({ period: PERIOD }),
            ingestErrors,
          ]),
          graph('Ingest duration (p99)', [ingest.metricDuration({ period: PERIOD, statistic: 'p99' })]),
          graph('Queue backlog', [
            queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
            queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' }),
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
            httpApi.metricLatency({ period: PERIOD, statistic: 'p99' }),
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
}

const graph = (title: string, left: cloudwatch.IMetric[]) =>
  new cloudwatch.GraphWidget({ title, left, width: 8 });
