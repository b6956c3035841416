import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { makeDerivedRepairs } from '../../functions/store/derive-writer';
import { makeRecordWriter } from '../../functions/store/record-writer';

/**
 * The verifier's guarded removal of an orphan (one transaction: its article's record unchanged, the item unchanged)
 * against what DynamoDB answers on AWS and DynamoDB Local never shows: a transaction conflict is tried again with the
 * same idempotency token; a refused condition is an answer, not an error.
 */
const doc = mockClient(DynamoDBDocumentClient);
const repairs = makeDerivedRepairs({ client: new DynamoDBClient({ region: 'eu-west-1' }), tableName: 't' });
const cancelled = (...codes: string[]) =>
  Object.assign(new Error('Transaction cancelled'), {
    name: 'TransactionCanceledException',
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

beforeEach(() => doc.reset());

describe('removing an orphan derived item', () => {
  it('checks the record and deletes the item in one transaction', async () => {
    doc.on(TransactWriteCommand).resolves({});
    expect(await repairs.remove('ENT#person#x', '2024#a', 'h1', { id: 'a', recordRev: 'r1' })).toBe(true);
    const input = doc.commandCalls(TransactWriteCommand)[0]?.args[0].input;
    expect(input?.TransactItems).toEqual([
      {
        ConditionCheck: {
          TableName: 't',
          Key: { pk: 'ART#a', sk: 'RECORD' },
          ConditionExpression: 'rev = :rev',
          ExpressionAttributeValues: { ':rev': 'r1' },
        },
      },
      {
        Delete: {
          TableName: 't',
          Key: { pk: 'ENT#person#x', sk: '2024#a' },
          ConditionExpression: 'contentHash = :h',
          ExpressionAttributeValues: { ':h': 'h1' },
        },
      },
    ]);
  });

  it('tries a conflicting transaction again, with the same token', async () => {
    doc
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('None', 'TransactionConflict'))
      .rejectsOnce(cancelled('TransactionConflict', 'None'))
      .resolves({});
    expect(await repairs.remove('ENT#person#x', '2024#a', 'h1', { id: 'a', recordRev: null })).toBe(true);
    const tokens = doc.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.ClientRequestToken);
    expect(tokens).toHaveLength(3);
    expect(new Set(tokens).size).toBe(1);
  });

  it('answers false when the record or the item changed since it was examined', async () => {
    doc.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    expect(await repairs.remove('ENT#person#x', '2024#a', 'h1', { id: 'a', recordRev: 'r1' })).toBe(false);
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('fails loudly when conflicts persist, or on any other error', async () => {
    doc.on(TransactWriteCommand).rejects(cancelled('TransactionConflict'));
    await expect(
      repairs.remove('ENT#person#x', '2024#a', 'h1', { id: 'a', recordRev: 'r1' }),
    ).rejects.toThrow('Transaction cancelled');
    expect(doc.commandCalls(TransactWriteCommand)).toHaveLength(4);
  });
});

describe('the ingest record write beside a guarded removal', () => {
  it('is tried again when a transaction held the record at that moment, not failed back to the queue', async () => {
    const conflict = Object.assign(new Error('Transaction is ongoing for the item'), {
      name: 'TransactionConflictException',
    });
    doc
      .on(PutCommand)
      .rejectsOnce(conflict)
      .resolves({ ConsumedCapacity: { TableName: 't', CapacityUnits: 2 } });
    const writer = makeRecordWriter({ client: new DynamoDBClient({ region: 'eu-west-1' }), tableName: 't' });
    const result = await writer.write({
      key: 'a.txt',
      sequencer: '0062E9A1B2',
      parserVersion: '3.0.0',
      change: { kind: 'deleted', detail: 'gone' },
    });
    expect(result.effect).toBe('written');
    expect(doc.commandCalls(PutCommand)).toHaveLength(2);
  });
});
