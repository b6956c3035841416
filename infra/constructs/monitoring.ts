import { Duration, Validations } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface MonitoringProps {
  readonly ingest: lambda.IFunction;
  readonly api: lambda.IFunction;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
  readonly httpApi: apigw.IHttpApi;
  readonly table: dynamodb.ITable;
  /** E-mail address notified when an alarm fires and when it recovers; none means no topic. */
  readonly alarmEmail?: string | undefined;
}

const PERIOD = Duration.minutes(5);

/**
 * Alarms for the failures a user must hear about, and one dashboard. Every alarm fires on the first bad data
 * point (threshold 1, one 5-minute period) because each counts an event that should not happen at all in a
 * healthy pipeline; missing data (an idle stack) is healthy. With `-c alarmEmail=...` each alarm and its
 * recovery are e-mailed through one SNS topic; without it there is no topic and the alarms show in the console.
 */
export class Monitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;
  readonly topic: sns.Topic | undefined;

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

    this.topic = props.alarmEmail ? this.notify(props.alarmEmail) : undefined;

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

  private notify(email: string): sns.Topic {
    const topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'News pipeline alarms',
      enforceSSL: true,
    });
    topic.addSubscription(new subscriptions.EmailSubscription(email));
    const action = new SnsAction(topic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    Validations.of(topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'The topic carries only alarm names and states, no article data; CloudWatch cannot publish to a topic encrypted with the aws/sns key, so encryption would need a customer-managed KMS key (a monthly cost) for no confidentiality gain.',
    });
    Validations.of(topic).acknowledge({
      id: 'Serverless-SNSRedrivePolicy',
      reason:
        'The only subscription is an e-mail address; SNS retries e-mail delivery itself, and the alarm state stays visible in CloudWatch if a notification is lost, so a DLQ queue would add a resource without a reader.',
    });
    return topic;
  }
}

const graph = (title: string, left: cloudwatch.IMetric[]) =>
  new cloudwatch.GraphWidget({ title, left, width: 8 });
