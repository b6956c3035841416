import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { z } from 'zod';
import { requestTarget, toHttpApiEvent } from './http-event';
import type { RouteMatch } from './routes';

export type HttpApiHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyResultV2>;

/** Local-only endpoints under /_local/ (never part of the API): method + path -> JSON result. */
export type AdminRoutes = Record<string, (body: Buffer) => Promise<unknown> | unknown>;

const StructuredSchema = z.object({
  statusCode: z.number().int(),
  headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  cookies: z.array(z.string()).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
});

interface HttpReply {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

const json = (statusCode: number, value: unknown): HttpReply => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  cookies: [],
  body: Buffer.from(JSON.stringify(value)),
});

/**
 * What API Gateway makes of a payload v2 result: a structured result is used as given; anything else (an
 * object without statusCode, a string) is a 200 with the value as a JSON body.
 */
export const toHttpReply = (result: unknown): HttpReply => {
  const structured = StructuredSchema.safeParse(result);
  if (!structured.success || typeof result !== 'object')
    return {
      ...json(200, null),
      body: Buffer.from(typeof result === 'string' ? result : JSON.stringify(result ?? null)),
    };
  const { statusCode, headers = {}, cookies = [], body = '', isBase64Encoded } = structured.data;
  return {
    statusCode,
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)])),
    cookies,
    body: Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8'),
  };
};

/** API Gateway's limits for HTTP APIs: a 10 MB request payload and a 30 s integration timeout. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
export const INTEGRATION_TIMEOUT_MS = 30_000;

class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) reject(new PayloadTooLargeError());
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

const withTimeout = async <T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

const send = (res: ServerResponse, reply: HttpReply, requestId: string) => {
  res.statusCode = reply.statusCode;
  for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  if (reply.cookies.length > 0) res.setHeader('set-cookie', reply.cookies);
  res.setHeader('apigw-requestid', requestId);
  // A HEAD answer may state its GET body's length (RFC 9110 §8.6); Node sends no body for HEAD either way.
  if (!res.hasHeader('content-length')) res.setHeader('content-length', reply.body.length);
  res.end(reply.body);
};

export interface HttpApiServerOptions {
  host: string;
  port: number;
  handler: HttpApiHandler;
  route: (method: string, path: string) => RouteMatch | null;
  admin?: AdminRoutes;
  /** The local stack's own GET /health (each part, 503 when one is down) in place of the function's. */
  health?: () => Promise<{ status: 'ok' | 'down' }>;
  /** Integration timeout; API Gateway answers 503 when the function takes longer. */
  timeoutMs?: number;
  onRequest?: (info: { method: string; path: string; status: number; ms: number }) => void;
  onError?: (error: unknown) => void;
}

/** A localhost HTTP server that behaves like an HTTP API stage with a Lambda proxy integration (payload 2.0). */
export const startHttpApiServer = async (options: HttpApiServerOptions) => {
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const target = requestTarget(req);
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (!(error instanceof PayloadTooLargeError)) throw error;
      // The rest of the body is read and dropped (not reset), so the client reliably sees the 413.
      send(res, json(413, { message: 'Request Entity Too Large' }), '-');
      return;
    }
    const path = target.url.split('?')[0] ?? '/';
    const admin = options.admin?.[`${target.method} ${path}`];
    let reply: HttpReply;
    let requestId = '-';
    if (path.startsWith('/_local/')) {
      try {
        reply = admin ? json(200, await admin(body)) : json(404, { message: 'Not Found' });
      } catch (error) {
        // A local tool asked: it gets the cause in one line (the log has the rest).
        options.onError?.(error);
        reply = json(500, { message: error instanceof Error ? error.message : String(error) });
      }
    } else if (options.health && target.method === 'GET' && target.url === '/health') {
      // Exactly /health: with a query string the API's own route answers (it refuses parameters, as deployed).
      const health = await options.health();
      reply = json(health.status === 'ok' ? 200 : 503, health);
    } else {
      const event = toHttpApiEvent({
        ...target,
        body,
        localPort: port,
        route: { routeKey: '$default' },
      });
      const route = options.route(target.method, event.rawPath);
      requestId = event.requestContext.requestId;
      if (!route) reply = json(404, { message: 'Not Found' });
      else {
        event.routeKey = event.requestContext.routeKey = route.routeKey;
        if (route.pathParameters) event.pathParameters = route.pathParameters;
        try {
          const result = await withTimeout(
            options.handler(event),
            options.timeoutMs ?? INTEGRATION_TIMEOUT_MS,
          );
          reply = result === 'timeout' ? json(503, { message: 'Service Unavailable' }) : toHttpReply(result);
        } catch (error) {
          // API Gateway hides function errors behind a bare 500; the local log shows the cause.
          options.onError?.(error);
          reply = json(500, { message: 'Internal Server Error' });
        }
      }
    }
    send(res, reply, requestId);
    options.onRequest?.({
      method: target.method,
      path: target.url,
      status: reply.statusCode,
      ms: Date.now() - started,
    });
  };

  const server: Server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};
