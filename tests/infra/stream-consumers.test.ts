import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  COUNT_TABLE_ACTIONS,
  DERIVE_TABLE_ACTIONS,
  STREAM_TUNING,
} from '../../infra/constructs/stream-consumers';
import { allowedActions, synthesize } from './synth';

describe('table stream and its two consumers', () => {
  const { template, stack } = synthesize();

  it('the table streams new images, and has no warm throughput unless a bulk load asks for it', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      WarmThroughput: Match.absent(),
    });
    const warmed = synthesize({ tableWarmWriteUnits: '40000' }).template;
    warmed.hasResourceProperties('AWS::DynamoDB::Table', { WarmThroughput: { WriteUnitsPerSecond: 40_000 } });
  });

  it('derive takes only records, from the trim horizon, bisecting a failing batch, failures kept', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: STREAM_TUNING.batchSize,
      MaximumBatchingWindowInSeconds: STREAM_TUNING.maxBatchingWindow.toSeconds(),
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: STREAM_TUNING.retryAttempts,
      ParallelizationFactor: 1,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: {
        Filters: [{ Pattern: JSON.stringify({ dynamodb: { Keys: { sk: { S: ['RECORD'] } } } }) }],
      },
    });
  });

  it('count takes only entity entries created or removed, retrying whole batches in order (no bisect), shard id in the event', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: STREAM_TUNING.batchSize,
      TumblingWindowInSeconds: STREAM_TUNING.tumblingWindow.toSeconds(),
      BisectBatchOnFunctionError: false,
      ParallelizationFactor: 1,
      FunctionResponseTypes: Match.absent(),
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT', 'REMOVE'],
              dynamodb: { Keys: { pk: { S: [{ prefix: 'ENT#' }] } } },
            }),
          },
        ],
      },
    });
  });

  it('derive may only query, put and batch-write the table, and read bodies; never update, delete one by one or scan', () => {
    const actions = allowedActions(template, stack.stream.derive.role);
    const table = actions.filter((a) => a.startsWith('dynamodb:') && !a.match(/Stream|Shard|Records/));
    expect(table.sort()).toEqual([...DERIVE_TABLE_ACTIONS].sort());
    expect(actions).toContain('s3:GetObject');
    expect(actions).not.toContain('s3:PutObject');
  });

  it('count may only get and update table items (plus reading the stream)', () => {
    const actions = allowedActions(template, stack.stream.count.role);
    const table = actions.filter((a) => a.startsWith('dynamodb:') && !a.match(/Stream|Shard|Records/));
    expect(table.sort()).toEqual([...COUNT_TABLE_ACTIONS].sort());
    expect(actions.some((a) => a.startsWith('s3:'))).toBe(false);
  });

  it('ingest concurrency and batch size come from the settings', () => {
    synthesize({ ingestMaxConcurrency: '200', ingestBatchSize: '20' }).template.hasResourceProperties(
      'AWS::Lambda::EventSourceMapping',
      { BatchSize: 20, ScalingConfig: { MaximumConcurrency: 200 } },
    );
  });
});
