import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTableInput } from '../../functions/store/table';
import { ensureTable, OldTableLayoutError } from '../../infra/local/dynamodb-local';
import { type LocalServices, startLocalServices } from '../support/local-services';

let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices({ s3: false });
});
afterAll(async () => {
  await services?.stop();
});

describe('a data folder written by the old layout', () => {
  it('is refused before anything reads it, with a one-line message that says to use --fresh', async () => {
    // The old layout's table: same keys, no stream (counts were kept inside the ingest transaction).
    const { StreamSpecification: _, ...old } = createTableInput('old-layout');
    await services.dynamo.client.send(new CreateTableCommand(old));
    const refused = ensureTable(services.dynamo.client, 'old-layout');
    await expect(refused).rejects.toBeInstanceOf(OldTableLayoutError);
    const message = await refused.catch((e: Error) => e.message);
    expect(message).toContain('--fresh');
    expect(message).not.toContain('\n');
  });

  it('a table with a stream that holds the two-item articles of the layout before records (UPLOAD, ARTICLE) is refused too', async () => {
    const name = await services.newTable();
    await services.dynamo.client.send(
      new PutItemCommand({
        TableName: name,
        Item: { pk: { S: 'ART#0123456789abcdef' }, sk: { S: 'UPLOAD' }, status: { S: 'ingested' } },
      }),
    );
    await expect(ensureTable(services.dynamo.client, name)).rejects.toBeInstanceOf(OldTableLayoutError);
  });

  it('a table of the current layout (records) is accepted as it is', async () => {
    const name = await services.newTable();
    await services.dynamo.client.send(
      new PutItemCommand({
        TableName: name,
        Item: { pk: { S: 'ART#0123456789abcdef' }, sk: { S: 'RECORD' }, status: { S: 'deleted' } },
      }),
    );
    await expect(ensureTable(services.dynamo.client, name)).resolves.toBeUndefined();
  });

  it('an empty table of the current layout is accepted as it is', async () => {
    const name = await services.newTable();
    await expect(ensureTable(services.dynamo.client, name)).resolves.toBeUndefined();
  });
});
