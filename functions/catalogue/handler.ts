import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadCatalogueConfig } from '../shared/config';
import { makeObservability } from '../shared/observability';
import { makeCatalogueWriter } from '../store/catalogue-writer';
import { makeCatalogueHandler } from './catalogue';

/** The deployed catalogue consumer (the table's stream -> entity catalogue counts). */
const config = loadCatalogueConfig();
const observability = makeObservability('catalogue');
const dynamo = observability.traceClient(new DynamoDBClient({}));

export const handler = makeCatalogueHandler({
  writer: makeCatalogueWriter({ client: dynamo, tableName: config.TABLE_NAME }),
  observability,
});
