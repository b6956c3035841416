import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { MAX_CURSOR_LENGTH } from './cursor';
import { json, OPERATIONS, queryParam, ref } from './openapi-operations';
import { componentJsonSchemas } from './openapi-schemas';
import { DEFAULT_LIMIT, MAX_LIMIT } from './params';
import { ROUTES, type RouteSpec } from './route-table';

/**
 * Builds the OpenAPI 3.1 document from the route table and the zod schemas. Build time only: the output is
 * committed as functions/api/openapi.json (the API bundle imports that file, not zod's JSON Schema generator);
 * tests/api/openapi-document.test.ts fails when the committed file differs from what this builds.
 * Regenerate: `npx tsx functions/api/openapi-build.ts`.
 */
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
});

/** Answered by API Gateway before the function runs, on any operation (their bodies are API Gateway's own). */
const GATEWAY_RESPONSES = {
  '403': { $ref: '#/components/responses/Forbidden' },
  '429': { $ref: '#/components/responses/TooManyRequests' },
} as const;

const gatewayMessage = (description: string) => ({
  description,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: { message: { type: 'string' } },
        required: ['message'],
      },
    },
  },
});

const isPathParam = (p: unknown): boolean =>
  typeof p === 'object' && p !== null && 'in' in p && p.in === 'path';

const operationFor = (route: RouteSpec) => {
  const op = OPERATIONS[route.id];
  const parameters = op.parameters.filter((p) => !isPathParam(p));
  const cacheHeader = {
    'Cache-Control': { description: `\`${route.cacheControl}\``, schema: { type: 'string' } },
  };
  const headers = op.etag
    ? {
        ...cacheHeader,
        ETag: { description: 'Strong validator; send it back in If-None-Match', schema: { type: 'string' } },
      }
    : cacheHeader;
  return {
    operationId: op.operationId,
    summary: route.summary,
    description: `${route.summary}. DynamoDB calls per page: at most ${route.callsPerPage} (${route.callsNote}). No Scan.`,
    tags: op.tags,
    'x-dynamodb-calls-per-page': route.callsPerPage,
    parameters: op.etag
      ? [
          ...parameters,
          {
            name: 'If-None-Match',
            in: 'header',
            required: false,
            description: 'ETag of a copy you hold',
            schema: { type: 'string' },
          },
        ]
      : parameters,
    responses: {
      '200': { description: op.ok.description, headers, content: json(op.ok.schema) },
      ...(op.etag
        ? { '304': { description: 'Not modified: your copy (If-None-Match) is current', headers } }
        : {}),
      '400': { $ref: '#/components/responses/BadRequest' },
      '404': op.notFound ? problem(op.notFound) : { $ref: '#/components/responses/NotFound' },
      '405': { $ref: '#/components/responses/MethodNotAllowed' },
      ...GATEWAY_RESPONSES,
      '500': { $ref: '#/components/responses/InternalError' },
    },
  };
};

/** CORS preflight: answered by the function itself because the allowed origins are configuration. */
const preflightFor = (route: RouteSpec) => ({
  operationId: `${OPERATIONS[route.id].operationId}Preflight`,
  summary: `CORS preflight for ${route.path}`,
  description:
    'Answers the allowed methods and headers; the origin is echoed when it is configured. No DynamoDB call.',
  tags: OPERATIONS[route.id].tags,
  'x-dynamodb-calls-per-page': 0,
  security: [],
  responses: {
    '204': {
      description: 'Preflight answer',
      headers: { Allow: { description: 'The allowed methods', schema: { type: 'string' } } },
    },
    '404': { $ref: '#/components/responses/NotFound' },
    ...GATEWAY_RESPONSES,
  },
});

/** OpenAPI path syntax has no greedy parameter: `{key+}` is documented as `{key}` whose value may hold slashes. */
const openApiPath = (path: string) => path.replace('+}', '}');

export const buildOpenApiDocument = () => ({
  openapi: '3.1.0',
  info: {
    title: 'News article lookup API',
    version: '1.0.0',
    summary: 'Read-only lookups over ingested news articles',
    description:
      'Lists answer `{ items, nextCursor }`; `limit` defaults to ' +
      `${DEFAULT_LIMIT} (maximum ${MAX_LIMIT}); cursors are opaque, signed and bound to the query that issued them ` +
      '(a forged, edited or replayed cursor is a 400). Errors are RFC 9457 `application/problem+json`. ' +
      'Each operation states the most DynamoDB calls one page makes (`x-dynamodb-calls-per-page`); no route scans.',
    license: { name: 'MIT', identifier: 'MIT' },
  },
  servers: [
    { url: '/', description: 'The deployed HTTP API (see the stack output ApiUrl) or the local server' },
  ],
  security: [{ sigv4: [] }],
  tags: [
    { name: 'articles', description: 'Articles by id and by date' },
    { name: 'entities', description: 'People, places and organisations' },
    { name: 'search', description: 'Keyword search' },
    { name: 'uploads', description: 'What happened to an uploaded object' },
    { name: 'meta', description: 'Health and this document' },
  ],
  paths: Object.fromEntries(
    ROUTES.map((route) => {
      // Path parameters belong to the path item, so GET and the preflight share them.
      const inPath = OPERATIONS[route.id].parameters.filter(isPathParam);
      return [
        openApiPath(route.path),
        {
          ...(inPath.length ? { parameters: inPath } : {}),
          get: operationFor(route),
          options: preflightFor(route),
        },
      ];
    }),
  ),
  components: {
    securitySchemes: {
      sigv4: {
        type: 'apiKey',
        name: 'Authorization',
        in: 'header',
        description: 'AWS Signature Version 4 (IAM auth), unless the deployer opted into public access',
      },
    },
    parameters: {
      limit: queryParam('limit', `Page size, 1 to ${MAX_LIMIT}`, {
        type: 'integer',
        minimum: 1,
        maximum: MAX_LIMIT,
        default: DEFAULT_LIMIT,
      }),
      cursor: queryParam('cursor', '`nextCursor` from the previous page of the same query', {
        type: 'string',
        maxLength: MAX_CURSOR_LENGTH,
      }),
    },
    responses: {
      BadRequest: problem(
        'A parameter is missing or malformed (named in `detail` and `invalidParams`), or the cursor is not valid for this query',
      ),
      NotFound: problem('No such route'),
      MethodNotAllowed: {
        ...problem('Only GET, HEAD and OPTIONS are served'),
        headers: { Allow: { description: 'The allowed methods', schema: { type: 'string' } } },
      },
      InternalError: problem('Something failed on our side; the detail says nothing more'),
      Forbidden: gatewayMessage(
        'API Gateway refused the request: IAM auth (SigV4) is on and the signature is missing, invalid or not allowed to invoke the API',
      ),
      TooManyRequests: gatewayMessage(
        "API Gateway's stage throttling (rate and burst limits set at deploy) refused the request; retry after a short wait",
      ),
    },
    schemas: componentJsonSchemas(),
  },
});

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = new URL('./openapi.json', import.meta.url);
  writeFileSync(out, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
  // Formatted as the linter wants it, so `npm run lint` stays clean after a regeneration.
  spawnSync('npx', ['--no-install', 'biome', 'format', '--write', out.pathname], { stdio: 'inherit' });
  console.log(`wrote ${out.pathname}`);
}
