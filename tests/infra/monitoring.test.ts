import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { RECORDS_FAILED_METRIC } from '../../infra/constructs/monitoring';
import { METRICS_NAMESPACE } from '../../infra/constructs/pipeline-function';
import { logicalId, synthesize } from './synth';

const { stack, template } = synthesize();
const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));

/** The alarm whose single metric (or math expression) matches the given name and dimension. */
const alarmOn = (metricName: string, dimension: string, ref: unknown) =>
  alarms.filter((a) => {
    const p = a.Properties;
    const metrics: {
      MetricStat?: { Metric: { MetricName: string; Dimensions: { Name: string; Value: unknown }[] } };
    }[] = p.Metrics ?? [
      { MetricStat: { Metric: { MetricName: p.MetricName, Dimensions: p.Dimensions ?? [] } } },
    ];
    return metrics.some(
      (m) =>
        m.MetricStat?.Metric.MetricName === metricName &&
        m.MetricStat.Metric.Dimensions.some(
          (d) => d.Name === dimension && JSON.stringify(d.Value) === JSON.stringify(ref),
        ),
    );
  });

describe('alarms', () => {
  it('fire on the first message in the DLQ', () => {
    const [alarm] = alarmOn('ApproximateNumberOfMessagesVisible', 'QueueName', {
      'Fn::GetAtt': [logicalId(stack.ingest.deadLetterQueue), 'QueueName'],
    });
    expect(alarm?.Properties).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      Statistic: 'Maximum',
    });
  });

  it('fire on ingest errors', () => {
    const [alarm] = alarmOn('Errors', 'FunctionName', { Ref: logicalId(stack.ingest.ingest.function) });
    expect(alarm?.Properties).toMatchObject({ Threshold: 1, Statistic: 'Sum' });
  });

  it('fire on failed ingest records within minutes (the ingest metric, one-minute periods), not at the DLQ', () => {
    const [alarm] = alarms.filter((a) => a.Properties.MetricName === RECORDS_FAILED_METRIC);
    expect(alarm?.Properties).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      Dimensions: [{ Name: 'service', Value: 'ingest' }],
      Period: 60,
      Statistic: 'Sum',
      Threshold: 1,
      EvaluationPeriods: 1,
    });
  });

  it("fire when the ingest queue's oldest message is 15 minutes old", () => {
    const [alarm] = alarmOn('ApproximateAgeOfOldestMessage', 'QueueName', {
      'Fn::GetAtt': [logicalId(stack.ingest.queue), 'QueueName'],
    });
    expect(alarm?.Properties).toMatchObject({ Threshold: 900, Statistic: 'Maximum', EvaluationPeriods: 1 });
  });

  it('fire on an API 5xx rate over 5% in 3 of 5 minutes, not on a single error', () => {
    const [alarm] = alarmOn('5xx', 'ApiId', { Ref: logicalId(stack.api.httpApi) });
    expect(alarm?.Properties).toMatchObject({ Threshold: 5, DatapointsToAlarm: 3, EvaluationPeriods: 5 });
    const expression = alarm?.Properties.Metrics.find((m: { Expression?: string }) => m.Expression);
    expect(expression.Expression).toBe('IF(requests > 0, 100 * errors / requests, 0)');
    expect(alarmOn('Count', 'ApiId', { Ref: logicalId(stack.api.httpApi) })).toEqual([alarm]);
  });

  it('fire on an API p99 latency of 2 s in 2 of 3 periods', () => {
    const [alarm] = alarmOn('Latency', 'ApiId', { Ref: logicalId(stack.api.httpApi) });
    expect(alarm?.Properties).toMatchObject({
      ExtendedStatistic: 'p99',
      Threshold: 2000,
      DatapointsToAlarm: 2,
      EvaluationPeriods: 3,
    });
  });

  it('fire on Lambda throttles of either function', () => {
    for (const fn of [stack.ingest.ingest.function, stack.api.api.function]) {
      expect(alarmOn('Throttles', 'FunctionName', { Ref: logicalId(fn) })).toHaveLength(1);
    }
  });

  it('fire on read or write throttling of the table', () => {
    const table = { Ref: logicalId(stack.storage.table) };
    const [reads] = alarmOn('ReadThrottleEvents', 'TableName', table);
    expect(reads).toBeDefined();
    expect(alarmOn('WriteThrottleEvents', 'TableName', table)).toEqual([reads]);
  });

  it('treat missing data (an idle stack) as healthy', () => {
    expect(alarms).toHaveLength(13);
    for (const alarm of alarms) expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
  });
});

describe('alarm notifications', () => {
  const topicRef = { Ref: logicalId(stack.monitoring.topic) };

  it('go to one TLS-only topic, always: every alarm and every recovery, with or without an address', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([topicRef]);
      expect(alarm.Properties.OKActions).toEqual([topicRef]);
    }
    template.hasOutput('AlarmTopicArn', { Value: topicRef });
  });

  it('are also e-mailed with alarmEmail, which only adds a subscription', () => {
    const notified = synthesize({ alarmEmail: 'oncall@example.com' });
    const notifiedTopic = { Ref: logicalId(notified.stack.monitoring.topic) };
    notified.template.resourceCountIs('AWS::SNS::Topic', 1);
    notified.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: notifiedTopic,
    });
    const notifiedAlarms = Object.values(notified.template.findResources('AWS::CloudWatch::Alarm'));
    expect(notifiedAlarms).toHaveLength(alarms.length);
    for (const alarm of notifiedAlarms) expect(alarm.Properties.AlarmActions).toEqual([notifiedTopic]);
  });
});

describe('dashboard and outputs', () => {
  it('has one dashboard', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  it('outputs the bucket name, API URL, table name and DLQ URL', () => {
    template.hasOutput('BucketName', { Value: { Ref: logicalId(stack.storage.bucket) } });
    template.hasOutput('TableName', { Value: { Ref: logicalId(stack.storage.table) } });
    template.hasOutput('DeadLetterQueueUrl', { Value: { Ref: logicalId(stack.ingest.deadLetterQueue) } });
    template.hasOutput('ApiUrl', {
      Value: { 'Fn::Join': ['', Match.arrayWith([{ Ref: logicalId(stack.api.httpApi) }])] },
    });
  });
});
