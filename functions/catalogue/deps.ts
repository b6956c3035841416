import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { makeJanitor } from '../store/catalogue-janitor';
import { makeCatalogueWriter } from '../store/catalogue-writer';
import type { CatalogueDeps } from './catalogue';

/** The store side of the stream consumer, as deployed, run locally and tested. */
export const streamConsumerStore = (options: {
  client: DynamoDBClient;
  tableName: string;
}): Pick<CatalogueDeps, 'writer' | 'janitor'> => ({
  writer: makeCatalogueWriter(options),
  janitor: makeJanitor(options),
});
