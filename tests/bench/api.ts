import { GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { makeApiHandler } from '../../functions/api/app';
import { fixedCursorKeys } from '../../functions/api/cursor-keys';
import { makeArticleReader } from '../../functions/store/article-reader';
import { makeDeriveWriter } from '../../functions/store/derive-writer';
import { DATE_SHARDS, keys } from '../../functions/store/keys';
import { driverOf, searchWindow } from '../../functions/store/read-search';
import { makeRecordWriter } from '../../functions/store/record-writer';
import { ensureTable, startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { httpEvent, makeArticle } from '../api/fixtures';
import { ingestRequest } from '../support/store-pipeline';
import { median, percentile, round } from './stats';

/**
 * Warm API handler latency per route against the bare DynamoDB call(s) that route makes, on one DynamoDB Local,
 * same client, interleaved sample by sample so machine noise hits both sides alike. The bare side uses the
 * low-level client (no document marshalling, no gunzip), i.e. the floor the handler cannot beat.
 * Targets: by id <= 1.5x GetItem; list, entity and search pages <= 2x their Query (search: one window of its driver term).
 */
export interface BenchApiOptions {
  articles?: number;
  samples?: number;
  warmup?: number;
}

export interface RouteFigures {
  route: string;
  handlerMedianMs: number;
  handlerP95Ms: number;
  bareMedianMs: number;
  bareP95Ms: number;
  ratio: number;
  target: number;
  withinTarget: boolean;
}

const CURSOR_SECRET = 'bench-cursor-secret-bench-cursor-secret-01';
const TABLE = 'bench-api';

const time = async (fn: () => Promise<unknown>): Promise<number> => {
  const started = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
};

export async function benchApi(
  opts: BenchApiOptions = {},
): Promise<{ articles: number; samples: number; routes: RouteFigures[] }> {
  const articles = opts.articles ?? 200;
  const samples = opts.samples ?? 300;
  const warmup = opts.warmup ?? 30;
  const local = await startDynamoDbLocal({ dataDir: null });
  try {
    const { client } = local;
    await ensureTable(client, TABLE);
    const fixtures = Array.from({ length: articles }, (_, i) =>
      makeArticle({
        key: `bench/${i}.txt`,
        headline: `Bench story ${i} about the council budget`,
        publishedDate: `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
        people: [['Maria Lopez', 1 + (i % 3)]],
        places: i % 2 === 0 ? [['Leeds', 2]] : [['York', 1]],
        keywords: ['budget', 'council'],
      }),
    );
    // Stored as the pipeline stores them: the ingest's record, then what the derive consumer writes for it.
    const records = makeRecordWriter({ client, tableName: TABLE });
    for (const article of fixtures) await records.write(ingestRequest(article));
    const derived = await makeDeriveWriter({ client, tableName: TABLE }).apply(fixtures.map((a) => a.id));
    if (derived.derived !== fixtures.length)
      throw new Error(`api bench: ${derived.derived} of ${fixtures.length} derived`);
    const app = makeApiHandler({
      reader: makeArticleReader({ client, tableName: TABLE }),
      cursorKeys: fixedCursorKeys(CURSOR_SECRET),
      corsAllowOrigins: [],
    });
    const byId = fixtures[0]?.id ?? '';
    const query = (pk: string, extra: Record<string, unknown> = {}) =>
      client.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: pk } },
          ScanIndexForward: false,
          Limit: 21,
          ConsistentRead: true,
          ...extra,
        }),
      );
    const cases: {
      route: string;
      target: number;
      handler: () => Promise<unknown>;
      bare: () => Promise<unknown>;
    }[] = [
      {
        route: 'GET /articles/{id} vs GetItem',
        target: 1.5,
        handler: () => app(httpEvent(`/articles/${byId}`)),
        bare: () =>
          client.send(
            new GetItemCommand({
              TableName: TABLE,
              Key: { pk: { S: keys.record(byId).pk }, sk: { S: 'RECORD' } },
              ConsistentRead: true,
            }),
          ),
      },
      {
        route: 'GET /articles?from&to vs the month list + one month (4 shards at once)',
        target: 2,
        handler: () => app(httpEvent('/articles?from=2024-09-01&to=2024-09-30')),
        bare: async () => {
          await query(keys.monthPartition(), {
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
            ExpressionAttributeValues: {
              ':pk': { S: 'MONTH' },
              ':lo': { S: '2024-09' },
              ':hi': { S: '2024-09' },
            },
          });
          return Promise.all(
            Array.from({ length: DATE_SHARDS }, (_, shard) =>
              query(keys.datePartition('2024-09', shard), {
                KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
                ExpressionAttributeValues: {
                  ':pk': { S: keys.datePartition('2024-09', shard) },
                  ':lo': { S: '2024-09-01#' },
                  ':hi': { S: '2024-09-30#\uffff' },
                },
              }),
            ),
          );
        },
      },
      {
        route: 'GET /entities/{type}/{name}/articles vs Query',
        target: 2,
        handler: () => app(httpEvent('/entities/place/Leeds/articles')),
        bare: () => query(keys.entityPartition('place', 'Leeds')),
      },
      {
        route: 'GET /search?q (2 words) vs one window of the driver term',
        target: 2,
        handler: () => app(httpEvent('/search?q=budget%20leeds')),
        bare: () =>
          query(keys.termPartition(driverOf(['budget', 'leeds']) ?? ''), {
            Limit: searchWindow(20),
            ScanIndexForward: true,
          }),
      },
    ];
    for (const c of cases) for (let i = 0; i < warmup; i++) await c.handler().then(c.bare);
    const times = cases.map(() => ({ handler: [] as number[], bare: [] as number[] }));
    for (let i = 0; i < samples; i++) {
      for (const [n, c] of cases.entries()) {
        const t = times[n];
        if (!t) continue;
        // Alternate which side goes first so neither always gets the warmer connection.
        if (i % 2 === 0) {
          t.handler.push(await time(c.handler));
          t.bare.push(await time(c.bare));
        } else {
          t.bare.push(await time(c.bare));
          t.handler.push(await time(c.handler));
        }
      }
    }
    const routes = cases.map((c, n) => {
      const t = times[n] ?? { handler: [], bare: [] };
      const ratio = median(t.handler) / median(t.bare);
      return {
        route: c.route,
        handlerMedianMs: round(median(t.handler), 3),
        handlerP95Ms: round(percentile(t.handler, 95), 3),
        bareMedianMs: round(median(t.bare), 3),
        bareP95Ms: round(percentile(t.bare, 95), 3),
        ratio: round(ratio),
        target: c.target,
        withinTarget: ratio <= c.target,
      };
    });
    return { articles, samples, routes };
  } finally {
    await local.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchApi();
  console.log(`API bench: ${result.articles} articles, ${result.samples} interleaved samples per route`);
  console.table(result.routes);
}
