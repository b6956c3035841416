import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadCountConfig } from '../shared/config';
import { makeObservability } from '../shared/observability';
import { makeCountWriter } from '../store/count-writer';
import { makeCountHandler } from './count';

/** The deployed count consumer (the table's stream -> entity catalogue counts). */
const config = loadCountConfig();
const observability = makeObservability('count');
const dynamo = observability.traceClient(new DynamoDBClient({}));

export const handler = makeCountHandler({
  writer: makeCountWriter({ client: dynamo, tableName: config.TABLE_NAME }),
  observability,
});
