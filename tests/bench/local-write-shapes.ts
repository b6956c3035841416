import {
  BatchExecuteStatementCommand,
  DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { startLocalServices } from '../support/local-services';
import { median } from './stats';

/**
 * Why the write path is slower on DynamoDB Local than it was (issue 13): the same 40 index-entry-sized items written
 * three ways on an idle DynamoDB Local, 20 rounds each, median ms per 40 items. DynamoDB Local commits a
 * transaction once and every other write on its own; on AWS the transaction bills twice the write units.
 * Run: `node --openssl-legacy-provider --import tsx tests/bench/local-write-shapes.ts`
 */
const ITEMS = 40;
const ROUNDS = 20;
const services = await startLocalServices({ s3: false });
try {
  const table = await services.newTable();
  const doc = DynamoDBDocumentClient.from(services.dynamo.client);
  const item = (round: string, i: number) => ({
    pk: `${round}#${i % 8}`,
    sk: String(i),
    rev: 'r',
    x: 'y'.repeat(300),
  });
  const time = async (label: string, write: (round: string) => Promise<unknown>) => {
    const runs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const started = performance.now();
      await write(`${label}${r}`);
      runs.push(performance.now() - started);
    }
    console.log(`${label.padEnd(40)} ${median(runs).toFixed(1)} ms per ${ITEMS} items`);
  };
  await time('conditional PutItem, 16 at a time', (round) =>
    Promise.all(
      Array.from({ length: ITEMS }, (_, i) =>
        doc.send(
          new PutCommand({
            TableName: table,
            Item: item(round, i),
            ConditionExpression: 'attribute_not_exists(#rev) OR #rev <= :r',
            ExpressionAttributeNames: { '#rev': 'rev' },
            ExpressionAttributeValues: { ':r': 'r' },
          }),
        ),
      ),
    ),
  );
  await time('PartiQL INSERT, 2 batches of 20', (round) =>
    Promise.all(
      [0, 1].map((half) =>
        doc.send(
          new BatchExecuteStatementCommand({
            Statements: Array.from({ length: ITEMS / 2 }, (_, i) => {
              const it = item(round, half * (ITEMS / 2) + i);
              return {
                Statement: `INSERT INTO "${table}" VALUE {'pk': ?, 'sk': ?, 'rev': ?, 'x': ?}`,
                Parameters: [it.pk, it.sk, it.rev, it.x],
              };
            }),
          }),
        ),
      ),
    ),
  );
  await time('one TransactWriteItems', (round) =>
    doc.send(
      new TransactWriteCommand({
        TransactItems: Array.from({ length: ITEMS }, (_, i) => ({
          Put: { TableName: table, Item: item(round, i) },
        })),
      }),
    ),
  );
} finally {
  await services.stop();
}
