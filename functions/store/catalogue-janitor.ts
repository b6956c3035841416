import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { eachLimited } from '../shared/each-limited';
import { indexKeyOf } from './article-item';
import type { StreamRecord } from './catalogue-deltas';
import { decodeKeyList } from './key-lists';
import { keys } from './keys';
import { UploadStatusSchema } from './upload-outcome';
import { revIs } from './write-actions';

/**
 * The stream consumer's second duty: removing what a writer overtaken by a newer event of the same key left behind
 * (see ./article-writer.ts). The newer revision removes every entry the older one listed; but an older writer still
 * running may put an entry after that removal, and a Lambda killed right after such a put never cleans it up.
 * Every such write shows on the stream, so each entry or article the stream shows being written is checked against
 * its key's outcome, read strongly consistent, once per article per batch:
 * - an index entry older than the outcome's revision and not among the keys that revision owns is a leftover;
 * - an article older than the outcome's revision, when that revision deleted or rejected the key, is a leftover.
 * A leftover is removed only while it still holds the revision the stream showed, so a newer put always survives.
 * Entries of the stored revision, or of a revision still being written, are never touched.
 */
const ENTRY_PREFIXES = ['DATE#', 'ENT#', 'ALIAS#', 'TERM#'] as const;

interface Written {
  pk: string;
  sk: string;
  rev: string;
  id: string;
  article: boolean;
}

/** Items a batch shows being written, with the revision and article they belong to. */
export const writtenItems = (records: readonly StreamRecord[]): Written[] => {
  const out: Written[] = [];
  for (const record of records) {
    if (record.eventName === 'REMOVE') continue;
    const { Keys, NewImage } = record.dynamodb;
    const rev = NewImage?.rev?.S;
    const id = NewImage?.id?.S;
    if (!rev || !id) continue;
    const pk = Keys.pk.S;
    const sk = Keys.sk.S;
    const article = pk.startsWith('ART#') && sk === 'ARTICLE';
    if (article || ENTRY_PREFIXES.some((p) => pk.startsWith(p))) out.push({ pk, sk, rev, id, article });
  }
  return out;
};

const OutcomeSchema = z.object({
  sequencer: z.string(),
  rev: z.string().optional(),
  status: UploadStatusSchema,
  keys: z.instanceof(Uint8Array).optional(),
});

export interface SweepResult {
  /** Articles whose outcome was read. */
  checked: number;
  /** Leftovers removed. */
  removed: number;
}

export const makeJanitor = (options: { client: DynamoDBClient; tableName: string; concurrency?: number }) => {
  const { tableName } = options;
  const doc = DynamoDBDocumentClient.from(options.client);
  const concurrency = options.concurrency ?? 8;

  const outcomeOf = async (id: string) => {
    const out = await doc.send(
      new GetCommand({
        TableName: tableName,
        Key: keys.upload(id),
        ConsistentRead: true,
        ProjectionExpression: '#seq, #rev, #status, #keys',
        ExpressionAttributeNames: {
          '#seq': 'sequencer',
          '#rev': 'rev',
          '#status': 'status',
          '#keys': 'keys',
        },
      }),
    );
    const parsed = OutcomeSchema.safeParse(out.Item);
    if (!parsed.success) return null;
    const { rev, sequencer, status } = parsed.data;
    return { rev: rev ?? sequencer, status, owned: new Set(decodeKeyList(parsed.data.keys)) };
  };

  const removeIfStill = async (item: Written): Promise<boolean> => {
    try {
      await doc.send(
        new DeleteCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk }, ...revIs(item.rev) }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  };

  const sweepArticle = async (id: string, items: Written[], result: SweepResult) => {
    const outcome = await outcomeOf(id);
    result.checked += 1;
    if (!outcome) return;
    for (const item of items) {
      if (item.rev >= outcome.rev) continue;
      const leftover = item.article ? outcome.status !== 'ingested' : !outcome.owned.has(indexKeyOf(item));
      if (leftover && (await removeIfStill(item))) result.removed += 1;
    }
  };

  return {
    async sweep(records: readonly StreamRecord[]): Promise<SweepResult> {
      const byArticle = new Map<string, Written[]>();
      for (const item of writtenItems(records)) {
        const list = byArticle.get(item.id) ?? [];
        list.push(item);
        byArticle.set(item.id, list);
      }
      const result: SweepResult = { checked: 0, removed: 0 };
      await eachLimited([...byArticle], concurrency, ([id, items]) => sweepArticle(id, items, result));
      return result;
    },
  };
};

export type Janitor = ReturnType<typeof makeJanitor>;
