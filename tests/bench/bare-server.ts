import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type LoadTargets, makeBareCalls, ROUTES, type RouteName } from './bare-calls';

/**
 * A loopback HTTP server that answers each request with only the bare DynamoDB call(s) behind one API route
 * (see ./bare-calls.ts), so autocannon drives the floor through HTTP exactly as it drives the local API: same
 * process, same kind of node:http server, same DynamoDB Local, same connection count. It writes a tiny JSON
 * body (the item count) instead of the page: serialising the page is part of what the API is measured for.
 * Paths: /byId/<n>, /byDate, /byEntity, /search.
 */
const isRoute = (value: string): value is RouteName => ROUTES.some((r) => r === value);

export const startBareServer = async (client: DynamoDBClient, tableName: string, targets: LoadTargets) => {
  const calls = makeBareCalls(client, tableName, targets);
  const server = createServer((req, res) => {
    const [, route, n] = (req.url ?? '').split('/');
    const call = route !== undefined && isRoute(route) ? calls[route] : undefined;
    if (!call) {
      res.writeHead(404).end();
      return;
    }
    call(Number(n ?? 0) || 0).then(
      (caps) => {
        const items = caps.reduce((s, c) => s + c.items, 0);
        res
          .writeHead(items > 0 ? 200 : 404, { 'content-type': 'application/json' })
          .end(`{"items":${items}}`);
      },
      () => res.writeHead(500).end(),
    );
  });
  server.keepAliveTimeout = 5_000; // as the local API server's
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string') throw new Error('bare server: no TCP address');
  const { port } = address;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((done) => server.close(() => done())),
  };
};
