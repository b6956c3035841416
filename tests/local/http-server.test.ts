import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REQUEST_BYTES, startHttpApiServer } from '../../infra/local/http-server';
import { localApiRouter } from '../../infra/local/routes';

describe('HTTP API adapter over a real socket', () => {
  const seen: APIGatewayProxyEventV2[] = [];
  let server: Awaited<ReturnType<typeof startHttpApiServer>>;

  beforeAll(async () => {
    server = await startHttpApiServer({
      host: '127.0.0.1',
      port: 0,
      route: localApiRouter(),
      admin: { 'POST /_local/ping': () => ({ pong: true }) },
      timeoutMs: 200,
      handler: async (event) => {
        seen.push(event);
        if (event.rawPath === '/articles/boom') throw new Error('handler crashed');
        if (event.rawPath === '/articles/head')
          return { statusCode: 200, headers: { 'content-length': '5392' }, body: '' };
        if (event.rawPath === '/articles/slow') await new Promise((r) => setTimeout(r, 1000));
        // API Gateway accepts a bare object too; the adapter must treat it as a 200 JSON body.
        if (event.rawPath === '/articles/plain')
          return { hello: 'world' } as unknown as APIGatewayProxyResultV2;
        if (event.rawPath === '/articles/binary')
          return {
            statusCode: 200,
            headers: { 'Content-Type': 'image/png' },
            body: 'AAEC',
            isBase64Encoded: true,
          };
        return {
          statusCode: 201,
          headers: { 'Content-Type': 'application/json', 'X-Route': event.routeKey },
          cookies: ['s=1; Path=/'],
          body: JSON.stringify({
            params: event.pathParameters ?? null,
            query: event.queryStringParameters ?? null,
          }),
        };
      },
    });
  });
  afterAll(() => server.stop());

  it("passes on a HEAD answer's Content-Length (the GET length) instead of its empty body's 0", async () => {
    const res = await fetch(`${server.url}/articles/head`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('5392');
  });

  it('routes, decodes path parameters and writes status, headers, cookies and body back', async () => {
    const res = await fetch(`${server.url}/uploads/dir/a%20b%2Bc.txt?x=1&x=2`);
    expect(res.status).toBe(201);
    expect(res.headers.get('x-route')).toBe('GET /uploads/{key+}');
    expect(res.headers.get('set-cookie')).toBe('s=1; Path=/');
    expect(res.headers.get('apigw-requestid')).toMatch(/[0-9a-f-]{36}/);
    expect(await res.json()).toEqual({ params: { key: 'dir/a b+c.txt' }, query: { x: '1,2' } });
    expect(seen.at(-1)?.requestContext.http.sourceIp).toBe('127.0.0.1');
  });

  it("turns a thrown error into API Gateway's bare 500", async () => {
    const res = await fetch(`${server.url}/articles/boom`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: 'Internal Server Error' });
  });

  it('answers 503 when the function outlives the integration timeout, as API Gateway does', async () => {
    const res = await fetch(`${server.url}/articles/slow`);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ message: 'Service Unavailable' });
  });

  it('refuses request bodies over the 10 MB payload limit with 413', async () => {
    const res = await fetch(`${server.url}/articles/x`, {
      method: 'POST',
      body: Buffer.alloc(MAX_REQUEST_BYTES + 1),
    });
    expect(res.status).toBe(413);
  });

  it('treats a result without statusCode as a 200 JSON body', async () => {
    const res = await fetch(`${server.url}/articles/plain`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hello: 'world' });
  });

  it('decodes base64 bodies', async () => {
    const res = await fetch(`${server.url}/articles/binary`);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([0, 1, 2]);
  });

  it('serves local admin routes without invoking the API handler', async () => {
    const before = seen.length;
    const res = await fetch(`${server.url}/_local/ping`, { method: 'POST' });
    expect(await res.json()).toEqual({ pong: true });
    expect((await fetch(`${server.url}/_local/nothing`)).status).toBe(404);
    expect(seen.length).toBe(before);
  });
});
