import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { RouteMatch } from './routes';
import { LOCAL_ACCOUNT_ID } from './sqs-event';

const TEXT_TYPES =
  /^(text\/|application\/(json|problem\+json|xml|x-www-form-urlencoded|javascript)|[^;]*\+json)/i;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** requestContext.time, in API Gateway's `12/Mar/2020:19:03:58 +0000` form. */
export const apiGatewayTime = (date: Date): string => {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
};

const safeDecode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** HTTP APIs hand the function the decoded path (rawPath and requestContext.http.path alike). */
export const decodePath = (rawPath: string): string => rawPath.split('/').map(safeDecode).join('/');

/** Decoded values, repeats joined with commas, as payload v2 gives them; undefined when there is no query. */
export const parseQueryString = (raw: string): Record<string, string> | undefined => {
  if (!raw) return undefined;
  // A Map, not a plain object: `__proto__=1` would set the prototype and `constructor` is already "in" {}.
  const out = new Map<string, string>();
  for (const pair of raw.split('&')) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    const name = safeDecode((at < 0 ? pair : pair.slice(0, at)).replace(/\+/g, ' '));
    const value = at < 0 ? '' : safeDecode(pair.slice(at + 1).replace(/\+/g, ' '));
    const seen = out.get(name);
    out.set(name, seen === undefined ? value : `${seen},${value}`);
  }
  // fromEntries defines own properties, `__proto__` included.
  return out.size > 0 ? Object.fromEntries(out) : undefined;
};

/** Lower-cased names, repeated headers joined with commas, cookies split out as payload v2 does. */
export const collectHeaders = (rawHeaders: readonly string[]) => {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = rawHeaders[i + 1] ?? '';
    if (name === 'cookie')
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      );
    else headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return { headers, cookies };
};

export interface HttpRequestInput {
  method: string;
  /** The request target as received: path plus optional query, still percent-encoded. */
  url: string;
  rawHeaders: readonly string[];
  sourceIp: string;
  localPort: number;
  body: Buffer;
  route: RouteMatch;
  now?: Date;
}

/** The API Gateway HTTP API (payload format 2.0) event for one request. */
export const toHttpApiEvent = (input: HttpRequestInput): APIGatewayProxyEventV2 => {
  const now = input.now ?? new Date();
  const queryAt = input.url.indexOf('?');
  const rawTarget = queryAt < 0 ? input.url : input.url.slice(0, queryAt);
  const rawQueryString = queryAt < 0 ? '' : input.url.slice(queryAt + 1);
  const rawPath = decodePath(rawTarget || '/');
  const { headers, cookies } = collectHeaders(input.rawHeaders);
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${input.sourceIp}`
    : input.sourceIp;
  headers['x-forwarded-port'] = String(input.localPort);
  headers['x-forwarded-proto'] = 'http';
  const host = headers.host ?? `127.0.0.1:${input.localPort}`;
  const requestId = randomUUID();
  const queryStringParameters = parseQueryString(rawQueryString);
  const hasBody = input.body.length > 0;
  const isText = TEXT_TYPES.test(headers['content-type'] ?? '');
  return {
    version: '2.0',
    routeKey: input.route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: input.method,
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: input.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: input.route.routeKey,
      stage: '$default',
      time: apiGatewayTime(now),
      timeEpoch: now.getTime(),
    },
    ...(input.route.pathParameters ? { pathParameters: input.route.pathParameters } : {}),
    ...(hasBody ? { body: isText ? input.body.toString('utf8') : input.body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !isText,
  };
};

/** For the adapter: the pieces of a Node request that the event needs. */
export const requestTarget = (req: IncomingMessage) => ({
  method: req.method ?? 'GET',
  url: req.url ?? '/',
  rawHeaders: req.rawHeaders,
  sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
});
