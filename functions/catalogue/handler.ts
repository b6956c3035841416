import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadCatalogueConfig } from '../shared/config';
import { makeObservability } from '../shared/observability';
import { makeCatalogueHandler } from './catalogue';
import { streamConsumerStore } from './deps';

/** The deployed stream consumer (the table's stream -> catalogue counts, and leftovers of overtaken writers). */
const config = loadCatalogueConfig();
const observability = makeObservability('catalogue');
const dynamo = observability.traceClient(new DynamoDBClient({}));

export const handler = makeCatalogueHandler({
  ...streamConsumerStore({ client: dynamo, tableName: config.TABLE_NAME }),
  observability,
});
