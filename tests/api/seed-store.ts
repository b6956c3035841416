import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Article } from '../../functions/core/article';
import { toArticleItem } from '../../functions/store/article-item';
import { type EntityType, keys, monthOf } from '../../functions/store/keys';
import { termsOf } from '../../functions/store/terms';

/**
 * Writes items in the documented layout (functions/store/keys.ts) so the reader can be tested on DynamoDB
 * Local independently of the ingest writer. Plain puts: no transactions, no re-ingest diffing.
 */
export const makeSeeder = (client: DynamoDBClient, TableName: string) => {
  const doc = DynamoDBDocumentClient.from(client);
  const put = (Item: Record<string, unknown>) => doc.send(new PutCommand({ TableName, Item }));

  const addToCatalogue = (type: EntityType, name: string, delta: number) =>
    doc.send(
      new UpdateCommand({
        TableName,
        Key: keys.entityCatalogue(type, name),
        UpdateExpression: 'SET #name = :name ADD articleCount :d',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':name': name, ':d': delta },
      }),
    );

  return {
    addToCatalogue,
    async article(article: Article) {
      const summary = {
        id: article.id,
        headline: article.headline,
        publishedDate: article.publishedDate,
        contentHash: article.contentHash,
      };
      const entries: Record<string, unknown>[] = [];
      if (article.publishedDate) {
        entries.push({ ...keys.date(article.publishedDate, article.id), ...summary });
        // The month catalogue, which the stream consumer keeps in the product.
        await doc.send(
          new UpdateCommand({
            TableName,
            Key: keys.dateCatalogue(monthOf(article.publishedDate)),
            UpdateExpression: 'ADD articleCount :one',
            ExpressionAttributeValues: { ':one': 1 },
          }),
        );
      }
      const typed: [EntityType, Article['people']][] = [
        ['person', article.people],
        ['place', article.places],
        ['organization', article.organizations],
      ];
      for (const [type, list] of typed) {
        for (const { name, mentions } of list) {
          entries.push({
            ...keys.entity(type, name, article.publishedDate, article.id),
            ...summary,
            type,
            name,
            mentions,
          });
          const parts = name.split(' ');
          const surname = parts.at(-1);
          if (type === 'person' && parts.length > 1 && surname) {
            entries.push({ ...keys.alias(type, surname, name, article.id), ...summary, type, name });
          }
          await addToCatalogue(type, name, 1);
        }
      }
      const terms = termsOf(article);
      const weights = Object.fromEntries(terms.map((t) => [t.term, t.weight]));
      for (const { term, weight } of terms)
        entries.push({ ...keys.term(term, weight, article.id), ...summary, weight, terms: weights });
      for (const entry of entries) await put(entry);
      await put({ ...toArticleItem(article) });
      await put({
        ...keys.upload(article.id),
        key: article.source.key,
        status: 'ingested',
        articleId: article.id,
        sequencer: `${'0'.repeat(31)}1`,
        at: '2026-11-26T06:00:00.000Z',
      });
    },
    async rejected(id: string, key: string, reason: string, detail: string) {
      await put({
        ...keys.upload(id),
        key,
        status: 'rejected',
        reason,
        detail,
        sequencer: `${'0'.repeat(31)}2`,
        at: '2026-11-26T06:00:01.000Z',
      });
    },
  };
};
