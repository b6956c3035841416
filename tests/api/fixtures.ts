import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { fixedCursorKeys } from '../../functions/api/cursor-keys';
import { type Article, articleIdForKey, PARSER_VERSION } from '../../functions/core/article';

/** Articles written for these tests (never corpus text), valid against ArticleSchema. */
export interface ArticleSpec {
  key: string;
  headline: string;
  publishedDate: string | null;
  people?: [string, number][];
  places?: [string, number][];
  organizations?: [string, number][];
  keywords?: string[];
}

export const makeArticle = (spec: ArticleSpec): Article => {
  const paragraphs = [
    `${spec.headline}, officials said in a statement issued on the day.`,
    'The council will meet again next month to review the figures and hear from residents.',
  ];
  const entities = (list: [string, number][] = []) => list.map(([name, mentions]) => ({ name, mentions }));
  return {
    id: articleIdForKey(spec.key),
    source: { key: spec.key, size: 400, bucket: 'test-bucket' },
    contentHash: createHash('sha256').update(paragraphs.join('\n')).update(spec.headline).digest('hex'),
    publishedDate: spec.publishedDate,
    headline: spec.headline,
    headlineSource: 'title',
    dateline: null,
    section: null,
    lede: paragraphs[0] ?? '',
    paragraphs,
    wordCount: 30,
    readingTimeMinutes: 0.2,
    language: 'en',
    people: entities(spec.people),
    places: entities(spec.places),
    organizations: entities(spec.organizations),
    quotes: [],
    dates: [],
    keywords: spec.keywords ?? [],
    warnings: spec.publishedDate ? [] : ['no published date'],
    parserVersion: PARSER_VERSION,
  };
};

const safeDecode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/**
 * An HTTP API (payload v2) event as API Gateway sends it for `target` (a URL path and query as a client sends
 * them, encoded): rawPath and the query values arrive percent-decoded, rawQueryString does not.
 */
export const httpEvent = (
  target: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): APIGatewayProxyEventV2 => {
  const [encodedPath = '/', rawQueryString = ''] = target.split('?');
  const rawPath = encodedPath.split('/').map(safeDecode).join('/');
  const query = new URLSearchParams(rawQueryString);
  const queryStringParameters: Record<string, string> = {};
  for (const [k, v] of query)
    queryStringParameters[k] = queryStringParameters[k] ? `${queryStringParameters[k]},${v}` : v;
  const method = options.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: { host: 'api.test', ...options.headers },
    ...(rawQueryString ? { queryStringParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.test',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'req',
      routeKey: '$default',
      stage: '$default',
      time: '26/Nov/2026:06:00:00 +0000',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  };
};

export const TEST_CURSOR_SECRET = 'test-cursor-secret-0123456789abcdef-xyz';
/** The key provider the tests' API signs cursors with (the local stack's kind: a fixed key). */
export const TEST_CURSOR_KEYS = fixedCursorKeys(TEST_CURSOR_SECRET);
