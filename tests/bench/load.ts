import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { articleIdForKey } from '../../functions/core/article';
import { CATALOGUE_SHARDS, type EntityType, keys } from '../../functions/store/keys';
import { searchTermsOf } from '../../functions/store/read-search';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local';
import type { LocalStack } from '../../infra/local/stack';
import { apiPath, type LoadTargets, ROUTE_LABELS, ROUTES, type RouteName } from './bare-calls';
import { startBareServer } from './bare-server';
import { median, round } from './stats';

/**
 * API under load: autocannon (in its own process, ./load-client.ts) against the local API and, at the same
 * connection count, against a loopback server doing only the bare DynamoDB call(s) behind each route
 * (./bare-server.ts); both servers live in this process and talk to the same DynamoDB Local. Runs alternate
 * API/bare, bare/API round after round, so a noisy second hits both; each side's figure is its median round.
 * The ratio is bare requests/s over API requests/s (at a fixed connection count, the cost per request).
 */
const REPO = resolve(import.meta.dirname, '../..');
const CLIENT = join(REPO, 'tests/bench/load-client.ts');

const RunSchema = z.object({
  requestsPerSecond: z.number(),
  total: z.number(),
  p50Ms: z.number(),
  p99Ms: z.number(),
  non2xx: z.number(),
  errors: z.number(),
  timeouts: z.number(),
});
type Run = z.infer<typeof RunSchema>;

const drive = (url: string, paths: string[], connections: number, durationS: number) =>
  new Promise<Run>((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CLIENT, JSON.stringify({ url, paths, connections, durationS })],
      {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err = (err + c.toString()).slice(-2000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), (durationS + 30) * 1000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return fail(new Error(`load client exited ${code}: ${err}`));
      try {
        done(RunSchema.parse(JSON.parse(out.trim().split('\n').at(-1) ?? '')));
      } catch (error) {
        fail(error);
      }
    });
  });

const CatalogueItemSchema = z.object({
  name: z.object({ S: z.string() }),
  articleCount: z.object({ N: z.string() }),
});

/** The catalogue entry with the most articles, over every letter shard (a bench may read whole partitions; the API never does). */
const topEntity = async (client: DynamoDBClient, tableName: string, type: EntityType) => {
  let best: { name: string; count: number } | null = null;
  for (const shard of CATALOGUE_SHARDS) {
    let start: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
    do {
      const out = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: keys.entityCataloguePartition(type, shard) } },
          ExclusiveStartKey: start,
        }),
      );
      for (const raw of out.Items ?? []) {
        const item = CatalogueItemSchema.safeParse(raw);
        if (item.success && (!best || Number(item.data.articleCount.N) > best.count))
          best = { name: item.data.name.S, count: Number(item.data.articleCount.N) };
      }
      start = out.LastEvaluatedKey;
    } while (start);
  }
  return best;
};

/** Targets with data behind them: ingested ids, the place and organisation with most articles, their words. */
export const pickTargets = async (stack: LocalStack, doneKeys: string[]): Promise<LoadTargets> => {
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: stack.dynamoDbEndpoint });
  try {
    // Mid-burst the stream consumer may not have counted a place yet: the catalogue lags the articles.
    let place = await topEntity(client, stack.tableName, 'place');
    for (let waited = 0; !place && waited < 60_000; waited += 250) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      place = await topEntity(client, stack.tableName, 'place');
    }
    const org = await topEntity(client, stack.tableName, 'organization');
    if (!place) throw new Error('load: no place in the entity catalogue');
    const terms = [
      ...new Set([
        ...searchTermsOf(place.name).slice(0, 1),
        ...searchTermsOf(org?.name ?? 'government').slice(0, 1),
      ]),
    ];
    return {
      ids: doneKeys.slice(0, 100).map(articleIdForKey),
      // Inside the dates burst.ts gives the uploads (2024), so every page is full.
      from: '2024-03-01',
      to: '2024-09-30',
      entity: { type: 'place', name: place.name },
      terms,
    };
  } finally {
    client.destroy();
  }
};

export interface LoadRouteFigures {
  route: string;
  api: { requestsPerSecond: number; p50Ms: number; p99Ms: number; non2xx: number; errors: number };
  bare: { requestsPerSecond: number; p50Ms: number; p99Ms: number; non2xx: number; errors: number };
  ratio: number;
  rounds: number;
}

const summarise = (runs: Run[]) => ({
  requestsPerSecond: round(median(runs.map((r) => r.requestsPerSecond)), 0),
  p50Ms: round(median(runs.map((r) => r.p50Ms)), 1),
  p99Ms: round(median(runs.map((r) => r.p99Ms)), 1),
  non2xx: runs.reduce((s, r) => s + r.non2xx, 0),
  errors: runs.reduce((s, r) => s + r.errors + r.timeouts, 0),
});

export async function benchLoad(opts: {
  stack: LocalStack;
  targets: LoadTargets;
  connections?: number;
  durationS?: number;
  rounds?: number;
}): Promise<{
  connections: number;
  durationS: number;
  targets: LoadTargets;
  routes: Record<RouteName, LoadRouteFigures>;
}> {
  const connections = opts.connections ?? 10;
  const durationS = opts.durationS ?? 5;
  const rounds = opts.rounds ?? 2;
  const { stack, targets } = opts;
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: stack.dynamoDbEndpoint });
  const bare = await startBareServer(client, stack.tableName, targets);
  try {
    const spread = Math.max(1, targets.ids.length);
    const paths = (route: RouteName, side: 'api' | 'bare') =>
      Array.from({ length: route === 'byId' ? spread : 1 }, (_, n) =>
        side === 'api' ? apiPath(route, targets, n) : `/${route}/${n}`,
      );
    const routes = {} as Record<RouteName, LoadRouteFigures>;
    for (const route of ROUTES) {
      // Warm both sides (JIT, connections, DynamoDB Local's caches) before anything is recorded.
      await drive(stack.apiUrl, paths(route, 'api'), connections, 1);
      await drive(bare.url, paths(route, 'bare'), connections, 1);
      const api: Run[] = [];
      const floor: Run[] = [];
      for (let r = 0; r < rounds; r++) {
        const order = r % 2 === 0 ? (['api', 'bare'] as const) : (['bare', 'api'] as const);
        for (const side of order) {
          if (side === 'api')
            api.push(await drive(stack.apiUrl, paths(route, 'api'), connections, durationS));
          else floor.push(await drive(bare.url, paths(route, 'bare'), connections, durationS));
        }
      }
      const a = summarise(api);
      const b = summarise(floor);
      routes[route] = {
        route: ROUTE_LABELS[route],
        api: a,
        bare: b,
        ratio: round(b.requestsPerSecond / Math.max(1, a.requestsPerSecond)),
        rounds,
      };
    }
    return { connections, durationS, targets, routes };
  } finally {
    await bare.stop();
    client.destroy();
  }
}
