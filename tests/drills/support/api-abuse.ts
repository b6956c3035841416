import { request } from 'node:http';
import { z } from 'zod';

/**
 * Drill 5: requests a careless or hostile client sends. Each must get a 4xx `application/problem+json` whose
 * body names no internals: no stack frames, no error class dumps, no module paths, no table or key layout.
 * `needs` are the values the cases are built from (a real cursor, the table name) once the stack has data.
 */
export interface AbuseCase {
  name: string;
  method?: string;
  path: string;
  /** The expected status when it is exact; otherwise any 4xx. */
  status?: number;
}

export interface AbuseOutcome {
  name: string;
  status: number;
  problem: boolean;
  leaks: string[];
}

const ListSchema = z.object({ nextCursor: z.string().nullable() });

/** Any of these in a response body is a leak. */
export const leakPatterns = (tableName: string, secret: string | null): RegExp[] => [
  /Error:/,
  /\bat [\w.<>]+ \(/,
  /\n\s+at /,
  /node_modules/,
  /DynamoDB/i,
  /ValidationException|ResourceNotFound|ConditionalCheck/,
  /\b(ART|ENT|ENTCAT|ALIAS|TERM)#/,
  /\b(pk|sk)\b/,
  /\.ts:\d+/,
  /\/work\/|\/home\/|\/tmp\//,
  new RegExp(`\\b${tableName}\\b`),
  ...(secret ? [new RegExp(secret.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))] : []),
];

const tamper = (cursor: string) => {
  const [payload = '', signature = ''] = cursor.split('.');
  const json = Buffer.from(payload, 'base64url').toString('utf8').replace(/"p":"/, '"p":"9999');
  return `${Buffer.from(json, 'utf8').toString('base64url')}.${signature}`;
};

export const abuseCases = async (apiUrl: string): Promise<AbuseCase[]> => {
  const first = ListSchema.parse(await (await fetch(`${apiUrl}/articles?limit=1`)).json());
  const cursor = first.nextCursor;
  if (!cursor) throw new Error('the API drill needs at least two dated articles');
  const long = (n: number) => 'a'.repeat(n);
  return [
    {
      name: 'cursor replayed on another date range',
      path: `/articles?from=2000-01-01&cursor=${cursor}`,
      status: 400,
    },
    { name: 'cursor replayed on another route', path: `/search?q=harbour&cursor=${cursor}`, status: 400 },
    {
      name: 'cursor replayed on the entity catalogue',
      path: `/entities?type=person&cursor=${cursor}`,
      status: 400,
    },
    { name: 'cursor with its payload edited', path: `/articles?cursor=${tamper(cursor)}`, status: 400 },
    { name: 'cursor with its signature cut', path: `/articles?cursor=${cursor.slice(0, -3)}`, status: 400 },
    {
      name: 'cursor signed by someone else',
      path: `/articles?cursor=${cursor.split('.')[0]}.${Buffer.alloc(32, 7).toString('base64url')}`,
      status: 400,
    },
    {
      name: 'cursor of random base64',
      path: `/articles?cursor=${Buffer.from('{"v":1,"q":"x","p":"2099"}').toString('base64url')}`,
      status: 400,
    },
    { name: 'cursor with extra dots', path: `/articles?cursor=${cursor}.${cursor}`, status: 400 },
    { name: 'cursor of 5,000 characters', path: `/articles?cursor=${long(5000)}`, status: 400 },
    { name: 'empty cursor', path: '/articles?cursor=', status: 400 },
    { name: 'limit 0', path: '/articles?limit=0', status: 400 },
    { name: 'negative limit', path: '/articles?limit=-5', status: 400 },
    { name: 'huge limit', path: '/articles?limit=100000000000000000000', status: 400 },
    { name: 'limit over the maximum', path: '/articles?limit=101', status: 400 },
    { name: 'fractional limit', path: '/articles?limit=1.5', status: 400 },
    { name: 'limit in hex', path: '/articles?limit=0x10', status: 400 },
    { name: 'limit that is not a number', path: '/articles?limit=ten', status: 400 },
    { name: 'impossible date', path: '/articles?from=2024-02-30', status: 400 },
    { name: 'from after to', path: '/articles?from=2025-01-02&to=2025-01-01', status: 400 },
    { name: 'path traversal in an article id', path: '/articles/..%2F..%2Fetc%2Fpasswd', status: 404 },
    { name: 'dot segments in an article id', path: '/articles/%2e%2e', status: 400 },
    { name: 'raw dot segments to escape a route', path: '/articles/../../../etc/passwd', status: 404 },
    { name: 'upper-case article id', path: '/articles/0123456789ABCDEF', status: 400 },
    { name: 'SQL in an article id', path: "/articles/1'%20OR%20'1'='1", status: 400 },
    { name: 'unknown article id', path: '/articles/0123456789abcdef', status: 404 },
    { name: 'path traversal in an upload key', path: '/uploads/../../etc/passwd', status: 404 },
    {
      name: 'encoded traversal in an upload key',
      path: '/uploads/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      status: 404,
    },
    { name: 'upload key over 1,024 bytes', path: `/uploads/${long(1100)}`, status: 400 },
    { name: 'unknown entity type', path: '/entities/alien/zorg/articles', status: 400 },
    { name: 'entity name of 300 characters', path: `/entities/person/${long(300)}/articles`, status: 400 },
    { name: 'catalogue without a type', path: '/entities', status: 400 },
    { name: 'prefix of 500 characters', path: `/entities?type=person&prefix=${long(500)}`, status: 400 },
    { name: 'search without words', path: '/search?q=%20%21%21', status: 400 },
    { name: 'search of 8,000 characters', path: `/search?q=${'word%20'.repeat(1300)}`, status: 400 },
    { name: 'oversized query string', path: `/articles?from=${long(12_000)}`, status: 400 },
    { name: 'unknown parameter', path: '/articles?form=2025-01-01', status: 400 },
    { name: 'misspelt limit', path: '/search?q=harbour&limt=5', status: 400 },
    { name: 'parameter on a route that takes none', path: '/health?debug=true', status: 400 },
    { name: 'unknown route', path: '/admin', status: 404 },
    { name: 'route with a trailing slash', path: '/articles/', status: 404 },
    { name: 'POST to a list', method: 'POST', path: '/articles', status: 405 },
    { name: 'DELETE an article', method: 'DELETE', path: '/articles/0123456789abcdef', status: 405 },
    { name: 'PUT an upload outcome', method: 'PUT', path: '/uploads/a.txt', status: 405 },
    { name: 'PATCH the search', method: 'PATCH', path: '/search?q=harbour', status: 405 },
  ];
};

/**
 * Sends the request target exactly as written. fetch would resolve `..` segments (even `%2e%2e`) before sending,
 * so a traversal attempt would never reach the server as a client can send it.
 */
const rawRequest = (apiUrl: string, method: string, path: string) =>
  new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const url = new URL(apiUrl);
    const req = request({ host: url.hostname, port: url.port, method, path }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });

export const runAbuse = async (
  apiUrl: string,
  cases: readonly AbuseCase[],
  leaks: readonly RegExp[],
): Promise<AbuseOutcome[]> => {
  const outcomes: AbuseOutcome[] = [];
  for (const c of cases) {
    const res = await rawRequest(apiUrl, c.method ?? 'GET', c.path);
    const { body, type } = res;
    let problem = false;
    try {
      const json: unknown = JSON.parse(body);
      problem =
        type.startsWith('application/problem+json') &&
        z.object({ title: z.string(), status: z.literal(res.status), detail: z.string() }).safeParse(json)
          .success;
    } catch {
      problem = false;
    }
    outcomes.push({
      name: c.name,
      status: res.status,
      problem,
      leaks: leaks.filter((p) => p.test(body)).map(String),
    });
  }
  return outcomes;
};
