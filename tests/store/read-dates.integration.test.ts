import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRejection } from '../../functions/core/article';
import { makeArticleReader } from '../../functions/store/article-reader';
import { DATE_SHARDS } from '../../functions/store/keys';
import { MAX_DATE_MONTHS } from '../../functions/store/read-dates';
import { type LocalServices, startLocalServices } from '../support/local-services';
import { articleText, standInNormalise } from '../support/stand-in-core';
import { deleteRequest, ingestRequest, startStorePipeline } from '../support/store-pipeline';

let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices({ s3: false });
});
afterAll(async () => {
  await services?.stop();
});

/** Dates over six months with gaps (no article in 2024-02, 2024-04, 2024-06...), several in one month. */
const DATES = [
  '2023-11-30',
  '2024-01-05',
  '2024-01-20',
  '2024-01-20',
  '2024-03-01',
  '2024-05-31',
  '2024-07-04',
  '2024-07-09',
  '2024-12-25',
];

describe('articles by date across month partitions', () => {
  it('pages newest first across months, each article once, within a range, with bounded reads per page', async () => {
    const tableName = await services.newTable();
    const client = services.dynamo.client;
    const consumer = await startStorePipeline({ client, tableName, endpoint: services.dynamo.endpoint });
    const ids: Array<{ id: string; date: string }> = [];
    try {
      for (const [i, date] of DATES.entries()) {
        const key = `d${i}.txt`;
        const article = standInNormalise(
          Buffer.from(articleText({ headline: `Day ${i}`, date, people: [], keywords: ['x'] })),
          key,
        );
        if (isRejection(article)) throw new Error(article.detail);
        await consumer.writer.write(ingestRequest(article, '0000000000000001'));
        ids.push({ id: article.id, date });
      }
      // Deleting the only article of May 2024 empties its month (still listed: an empty month costs its shards'
      // Queries, a few read units, until the verifier drops it).
      await consumer.writer.write(deleteRequest('d5.txt', '0000000000000002'));
      await consumer.caughtUp();
    } finally {
      await consumer.stop();
    }
    const live = ids.filter((a) => a.date !== '2024-05-31');
    const newestFirst = (list: typeof ids) =>
      [...list].sort((a, b) => (a.date === b.date ? (a.id < b.id ? 1 : -1) : a.date < b.date ? 1 : -1));

    let queries = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'QueryCommand') queries += 1;
        return next(args);
      },
      { step: 'initialize', name: 'countQueries' },
    );
    const reader = makeArticleReader({ client, tableName });
    const walk = async (q: { from?: string; to?: string; limit: number }) => {
      const seen: string[] = [];
      let after: string | undefined;
      for (let page = 0; page < 20; page++) {
        queries = 0;
        const out = await reader.listByDate({ ...q, ...(after ? { after } : {}) });
        expect(queries).toBeGreaterThan(0);
        // The month list, then at most MAX_DATE_MONTHS months of DATE_SHARDS partitions each.
        expect(queries).toBeLessThanOrEqual(1 + MAX_DATE_MONTHS * DATE_SHARDS);
        expect(out.items.length).toBeLessThanOrEqual(q.limit);
        seen.push(...out.items.map((i) => i.id));
        if (!out.next) return seen;
        after = out.next;
      }
      throw new Error('too many pages');
    };
    expect(await walk({ limit: 2 })).toEqual(newestFirst(live).map((a) => a.id));
    expect(await walk({ limit: 100 })).toEqual(newestFirst(live).map((a) => a.id));
    const ranged = live.filter((a) => a.date >= '2024-01-20' && a.date <= '2024-07-04');
    expect(await walk({ from: '2024-01-20', to: '2024-07-04', limit: 1 })).toEqual(
      newestFirst(ranged).map((a) => a.id),
    );
    client.middlewareStack.remove('countQueries');
  });
});
