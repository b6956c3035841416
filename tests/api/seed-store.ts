import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Article } from '../../functions/core/article';
import { derive } from '../../functions/store/derive';
import { encodeKeyList } from '../../functions/store/key-lists';
import { type EntityType, keys } from '../../functions/store/keys';
import { prepareRecord } from '../../functions/store/record';
import { padSequencer } from '../../functions/store/sequencer';

/**
 * Writes items in the documented layout (functions/store/keys.ts) so the reader can be tested on DynamoDB Local
 * independently of the ingest and the stream consumers: the record, what it derives (functions/store/derive.ts, the
 * one definition), its APPLIED item, its month and its catalogue counts. Plain puts, no conditions.
 */
export const makeSeeder = (client: DynamoDBClient, TableName: string) => {
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
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
      const { entries, month } = derive(article);
      for (const entry of entries.values()) await put(entry);
      if (month) await put(keys.month(month));
      for (const entry of entries.values())
        if (String(entry.pk).startsWith('ENT#'))
          await addToCatalogue(entry.type as EntityType, String(entry.name), 1);
      const { item } = prepareRecord(
        {
          key: article.source.key,
          sequencer: padSequencer('0000000000000001'),
          parserVersion: article.parserVersion,
          change: { kind: 'ingested', article },
        },
        article.id,
        '2026-11-26T06:00:00.000Z',
      );
      await put({ ...item });
      await put({
        ...keys.applied(article.id),
        rev: item.rev,
        derivedFrom: `${article.contentHash}|${article.parserVersion}|0`,
        keys: encodeKeyList([...entries.keys()]),
        indexedAt: '2026-11-26T06:00:00.500Z',
      });
    },
    async rejected(id: string, key: string, reason: string, detail: string) {
      await put({
        ...keys.record(id),
        key,
        status: 'rejected',
        reason,
        detail,
        sequencer: padSequencer('0000000000000002'),
        rev: 'seeded',
        parserVersion: 'seeded',
        at: '2026-11-26T06:00:01.000Z',
      });
    },
  };
};
