import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type Article, articleIdForKey, isRejection } from '../../functions/core/article';
import { normaliseArticle } from '../../functions/core/index';
import { makeLocalS3Client } from '../../infra/local/s3-local';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import { makeArticle } from '../drills/support/articles';
import { makeRng } from '../drills/support/rng';

/**
 * D7 of the write-path audit, through the local stack's HTTP API as a client sees it: a client that uploads, then
 * polls GET /uploads/{key} until the outcome changes, must be served what that outcome says AT FIRST SIGHT (the
 * outcome and the article are one record, written at once): an `ingested` outcome's article is there, with the
 * content of that very upload (not the previous version, not a 404); a `deleted` outcome's article answers 404.
 * `indexedAt` then appears, and from then on the lists hold exactly this version (the entity list names the
 * article under its new people, no longer under the people only the old version named).
 */
const OutcomeSchema = z.object({
  key: z.string(),
  status: z.enum(['ingested', 'rejected', 'deleted']),
  sequencer: z.string(),
  articleId: z.string().optional(),
  indexedAt: z.string().optional(),
});
type Outcome = z.infer<typeof OutcomeSchema>;
const ArticleSchema = z.object({ id: z.string(), headline: z.string(), contentHash: z.string() });
const ListSchema = z.object({
  items: z.array(z.object({ id: z.string(), headline: z.string().optional() }).loose()),
});

describe('D7: the outcome tells what the API serves, at first sight', () => {
  let dataDir: string;
  let stack: LocalStack;
  let s3: S3Client;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'first-sight-e2e-'));
    stack = await startLocalStack({ dataDir, seedsDir: null });
    s3 = makeLocalS3Client(stack.s3Endpoint);
  }, 120_000);
  afterAll(async () => {
    s3?.destroy();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const get = async (path: string) => {
    const res = await fetch(`${stack.apiUrl}${path}`);
    return { status: res.status, body: (await res.json()) as unknown };
  };
  const uploadPath = (key: string) => `/uploads/${key.split('/').map(encodeURIComponent).join('/')}`;
  const entityPath = (name: string) => `/entities/person/${encodeURIComponent(name)}/articles`;

  /** Polls the outcome as a client would (every 5 ms) until `changed` says it is the one this operation made. */
  const firstSight = async (key: string, changed: (o: Outcome) => boolean): Promise<Outcome> => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const res = await get(uploadPath(key));
      if (res.status === 200) {
        const outcome = OutcomeSchema.parse(res.body);
        if (changed(outcome)) return outcome;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`${key}: no new outcome within 60 s`);
  };
  const untilIndexed = async (key: string, sequencer: string): Promise<Outcome> =>
    firstSight(key, (o) => o.sequencer === sequencer && o.indexedAt !== undefined);

  const articleOf = (key: string, text: string): Article & { people: Array<{ name: string }> } => {
    const result = normaliseArticle(Buffer.from(text), key);
    if (isRejection(result)) throw new Error(`${key}: ${result.detail}`);
    return result;
  };
  const peopleOf = (a: Article) => a.people.map((p) => p.name);
  const listed = async (path: string) => ListSchema.parse((await get(path)).body).items;

  it('12 uploads (6 of them overwrites) and 3 deletes, polled as a client would: each outcome served with its own content at first sight, then indexed', async () => {
    const rng = makeRng(77);
    const problems: string[] = [];
    const flows = Array.from({ length: 6 }, (_, i) => i).map(async (i) => {
      const key = `first-sight/story ${i}.txt`;
      const id = articleIdForKey(key);
      let last: Outcome | null = null;
      const versions = [makeArticle(rng).text, makeArticle(rng).text];
      for (const [n, text] of versions.entries()) {
        const expected = articleOf(key, text);
        await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: text }));
        const previous = last;
        const outcome = await firstSight(key, (o) => previous === null || o.sequencer !== previous.sequencer);
        if (outcome.status !== 'ingested') {
          problems.push(`${key} v${n + 1}: ${outcome.status}`);
          continue;
        }
        // First sight: the article is there, and it is this upload's.
        const served = await get(`/articles/${id}`);
        if (served.status !== 200)
          problems.push(`${key} v${n + 1}: outcome ingested, GET /articles answered ${served.status}`);
        else {
          const article = ArticleSchema.parse(served.body);
          if (article.contentHash !== expected.contentHash)
            problems.push(
              `${key} v${n + 1}: outcome ingested, but the article served is another version (${article.headline})`,
            );
        }
        // Then indexedAt, and the lists hold exactly this version.
        last = await untilIndexed(key, outcome.sequencer);
        for (const name of peopleOf(expected)) {
          const items = await listed(entityPath(name));
          const item = items.find((x) => x.id === id);
          if (!item) problems.push(`${key} v${n + 1}: indexed, but ${name}'s list does not hold it`);
          else if (item.headline !== expected.headline)
            problems.push(`${key} v${n + 1}: indexed, but ${name}'s list holds the old headline`);
        }
        if (n === 1) {
          const before = articleOf(key, versions[0] ?? '');
          for (const name of peopleOf(before).filter((p) => !peopleOf(expected).includes(p)))
            if ((await listed(entityPath(name))).some((x) => x.id === id))
              problems.push(`${key} v2: indexed, but ${name} (only in v1) still lists it`);
        }
      }
      if (i >= 3 && last) {
        const kept = articleOf(key, versions[1] ?? '');
        await s3.send(new DeleteObjectCommand({ Bucket: stack.bucket, Key: key }));
        const previous = last;
        const outcome = await firstSight(key, (o) => o.sequencer !== previous.sequencer);
        if (outcome.status !== 'deleted') problems.push(`${key} delete: ${outcome.status}`);
        const served = await get(`/articles/${id}`);
        if (served.status !== 404)
          problems.push(`${key}: outcome deleted, GET /articles answered ${served.status}`);
        await untilIndexed(key, outcome.sequencer);
        for (const name of peopleOf(kept))
          if ((await listed(entityPath(name))).some((x) => x.id === id))
            problems.push(`${key}: deleted and indexed, but ${name}'s list still holds it`);
      }
    });
    await Promise.all(flows);
    expect(problems).toEqual([]);
    expect(stack.queue.deadLetters()).toEqual([]);
  }, 180_000);
});
