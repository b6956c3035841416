import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { decodeKeyList } from './key-lists';
import { keys } from './keys';
import { UploadStatusSchema } from './upload-outcome';
import type { CurrentState } from './write-plan';

/**
 * Reads what the writer needs to know about a key: the article's entry keys and version, and the outcome's
 * sequencer. One strongly consistent Query on `ART#<id>` (both items share the partition); the projection keeps
 * the body off the wire, though DynamoDB still bills the read by the items' full size.
 */
const ArticleStateSchema = z.object({
  sk: z.literal('ARTICLE'),
  contentHash: z.string(),
  parserVersion: z.string(),
  sourceETag: z.string().optional(),
  bodyKey: z.string().optional(),
  rev: z.string().optional(),
  /** Items of the layout before revisions listed their entries here; read so their entries are still removed. */
  indexKeys: z.array(z.string()).optional(),
});
const UploadStateSchema = z.object({
  sk: z.literal('UPLOAD'),
  sequencer: z.string(),
  rev: z.string().optional(),
  status: UploadStatusSchema,
  pending: z.boolean().optional(),
  reason: z.string().optional(),
  detail: z.string().optional(),
  keys: z.instanceof(Uint8Array).optional(),
  stale: z.instanceof(Uint8Array).optional(),
});

export const makeStateReader =
  (doc: DynamoDBDocumentClient, tableName: string) =>
  async (id: string): Promise<CurrentState> => {
    const out = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.articlePartition(id) },
        ProjectionExpression:
          'sk, indexKeys, contentHash, parserVersion, sourceETag, bodyKey, #rev, #seq, #status, pending, #reason, #detail, #keys, stale',
        ExpressionAttributeNames: {
          '#rev': 'rev',
          '#keys': 'keys',
          '#seq': 'sequencer',
          '#status': 'status',
          '#reason': 'reason',
          '#detail': 'detail',
        },
        ConsistentRead: true,
      }),
    );
    const state: CurrentState = { article: null, upload: null };
    let legacyKeys: string[] = [];
    // Each item is tried against the schema its sort key names (a failed zod parse builds an error, which made
    // trying both schemas on every item cost twice as much); an item of another kind still matches neither.
    for (const item of out.Items ?? []) {
      const sk: unknown = item.sk;
      if (sk === 'ARTICLE') {
        const article = ArticleStateSchema.safeParse(item);
        if (article.success) {
          const { sourceETag, indexKeys, sk: _, ...rest } = article.data;
          legacyKeys = indexKeys ?? [];
          state.article = sourceETag === undefined ? rest : { ...rest, eTag: sourceETag };
        }
      } else if (sk === 'UPLOAD') {
        const upload = UploadStateSchema.safeParse(item);
        if (upload.success) {
          const { keys, stale, rev, sk: _, ...rest } = upload.data;
          state.upload = {
            ...rest,
            rev: rev ?? rest.sequencer,
            ...(rev === undefined ? { legacy: true } : {}),
            keys: decodeKeyList(keys),
            stale: decodeKeyList(stale),
          };
        }
      }
    }
    // An outcome written before revisions: its article item is the one that knew its entries.
    if (state.upload && state.upload.keys.length === 0 && legacyKeys.length > 0)
      state.upload.keys = legacyKeys;
    return state;
  };
