import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_TABLE_ACTIONS, CATALOGUE_TUNING } from '../../infra/constructs/catalogue-consumer';
import { allowedActions, synthesize } from './synth';

describe('table stream and catalogue consumer', () => {
  const { template, stack } = synthesize();

  it('the table streams new images, and has no warm throughput unless a bulk load asks for it', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      WarmThroughput: Match.absent(),
    });
    const warmed = synthesize({ tableWarmWriteUnits: '40000' }).template;
    warmed.hasResourceProperties('AWS::DynamoDB::Table', { WarmThroughput: { WriteUnitsPerSecond: 40_000 } });
  });

  it('the consumer reads the stream from the trim horizon in batches, shard id in the event, failures kept', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: CATALOGUE_TUNING.batchSize,
      MaximumBatchingWindowInSeconds: CATALOGUE_TUNING.maxBatchingWindow.toSeconds(),
      TumblingWindowInSeconds: CATALOGUE_TUNING.tumblingWindow.toSeconds(),
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: CATALOGUE_TUNING.retryAttempts,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              dynamodb: {
                Keys: {
                  pk: {
                    S: [{ prefix: 'ENT#' }, { prefix: 'DATE#' }, { prefix: 'ALIAS#' }, { prefix: 'TERM#' }],
                  },
                },
              },
            }),
          },
          {
            Pattern: JSON.stringify({
              dynamodb: { Keys: { pk: { S: [{ prefix: 'ART#' }] }, sk: { S: ['ARTICLE'] } } },
            }),
          },
        ],
      },
    });
  });

  it('the consumer may only update, get and conditionally delete table items (plus reading the stream)', () => {
    const actions = allowedActions(template, stack.catalogue.consumer.role);
    for (const action of CATALOGUE_TABLE_ACTIONS) expect(actions).toContain(action);
    expect(actions.filter((a) => a.startsWith('dynamodb:') && !a.match(/Stream|Shard|Records/))).toEqual(
      expect.arrayContaining([...CATALOGUE_TABLE_ACTIONS]),
    );
    expect(actions).not.toContain('dynamodb:PutItem');
    expect(actions).not.toContain('dynamodb:Scan');
  });

  it('ingest concurrency and batch size come from the settings', () => {
    synthesize({ ingestMaxConcurrency: '200', ingestBatchSize: '20' }).template.hasResourceProperties(
      'AWS::Lambda::EventSourceMapping',
      { BatchSize: 20, ScalingConfig: { MaximumConcurrency: 200 } },
    );
  });
});
