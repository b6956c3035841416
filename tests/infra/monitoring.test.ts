import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
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

  it('fire on API 5xx answers', () => {
    const [alarm] = alarmOn('5xx', 'ApiId', { Ref: logicalId(stack.api.httpApi) });
    expect(alarm?.Properties).toMatchObject({ Threshold: 1, Statistic: 'Sum', Namespace: 'AWS/ApiGateway' });
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
    expect(alarms).toHaveLength(6);
    for (const alarm of alarms) expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
  });
});

describe('alarm notifications', () => {
  it('are off by default: no topic, no alarm actions', () => {
    template.resourceCountIs('AWS::SNS::Topic', 0);
    for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toBeUndefined();
  });

  it('e-mail every alarm and its recovery through one TLS-only topic with alarmEmail', () => {
    const notified = synthesize({ alarmEmail: 'oncall@example.com' });
    const topic = notified.stack.monitoring.topic;
    expect(topic).toBeDefined();
    const topicRef = { Ref: logicalId(topic ?? notified.stack) };
    notified.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: topicRef,
    });
    notified.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    const notifiedAlarms = Object.values(notified.template.findResources('AWS::CloudWatch::Alarm'));
    expect(notifiedAlarms).toHaveLength(6);
    for (const alarm of notifiedAlarms) {
      expect(alarm.Properties.AlarmActions).toEqual([topicRef]);
      expect(alarm.Properties.OKActions).toEqual([topicRef]);
    }
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
