import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ArticleReader } from '../store/article-reader';
import { isPagePath, type PageServer } from '../web/page-paths';
import { makeCursorCodec } from './cursor';
import type { CursorKeyProvider } from './cursor-keys';
import { ALLOWED_METHODS, corsHeaders, etagMatches, preflightHeaders } from './http';
import { openApiJson } from './openapi';
import { rejectUnknownParameters } from './params';
import { badRequest, methodNotAllowed, notFound, problemResponse } from './problem';
import { matchRoute } from './router';
import { ROUTE_HANDLERS } from './routes';

/** The slice of Observability the app uses (the Powertools objects satisfy it; tests pass spies). */
export interface ApiObservability {
  logger: { error(message: string, extra: Record<string, unknown>): void };
  metrics: { addMetric(name: string, unit: 'Count', value: number): void };
}

export interface ApiDeps {
  reader: ArticleReader;
  /** Asked only by requests that seal or open a cursor. */
  cursorKeys: CursorKeyProvider;
  corsAllowOrigins: string[];
  observability?: ApiObservability;
  /** The read-only page at `/` and `/ui/*` (functions/web); without it those paths are 404s like any other. */
  page?: PageServer;
}

export type ApiHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** A named stage ("/prod/...") prefixes rawPath; the `$default` stage does not. */
const pathOf = (event: APIGatewayProxyEventV2): string => {
  const stage = event.requestContext?.stage;
  const raw = event.rawPath || '/';
  return stage && stage !== '$default' && raw.startsWith(`/${stage}/`) ? raw.slice(stage.length + 1) : raw;
};

/**
 * The API as a function of the event. The Lambda handler and the local HTTP server both call exactly this.
 * Every outcome that is not a 2xx/304 goes through problemResponse (the one error mapping).
 */
export const makeApiHandler = (deps: ApiDeps): ApiHandler => {
  const cursors = makeCursorCodec(deps.cursorKeys);
  // The logger is only read when an unexpected error is logged: the shared module makes it on first use.
  const observability = deps.observability;
  const metrics = observability?.metrics;

  return async (event) => {
    const method = event.requestContext?.http?.method?.toUpperCase() ?? 'GET';
    const path = pathOf(event);
    const cors = corsHeaders(deps.corsAllowOrigins, event.headers?.origin);
    try {
      // A REST API (or an HTTP API integration left at payload 1.0) sends no rawPath: say what is expected.
      if (event.version !== '2.0' && event.rawPath === undefined)
        throw badRequest(
          'This API takes API Gateway HTTP API events in payload format 2.0; set the integration to payload format 2.0.',
        );
      const match = matchRoute(path);
      if (!match && deps.page && isPagePath(path) && (method === 'GET' || method === 'HEAD')) {
        const page = await deps.page(path, event.headers?.['accept-encoding']);
        if (page) return method === 'HEAD' ? { ...page, body: '' } : page;
      }
      if (!match) throw notFound(`There is no route ${path}; see /openapi.json.`);
      if (method === 'OPTIONS')
        return { statusCode: 204, headers: { ...cors, ...preflightHeaders(), allow: ALLOWED_METHODS } };
      if (method !== 'GET' && method !== 'HEAD') throw methodNotAllowed(method, ALLOWED_METHODS);
      const query = event.queryStringParameters ?? {};
      rejectUnknownParameters(match.route.id, query);
      const result = await ROUTE_HANDLERS[match.route.id]({
        params: match.params,
        query,
        reader: deps.reader,
        cursors,
        openapi: openApiJson,
      });
      metrics?.addMetric(`route_${match.route.id}`, 'Count', 1);
      const headers: Record<string, string> = {
        ...cors,
        'cache-control': match.route.cacheControl,
        ...(result.etag ? { etag: result.etag } : {}),
      };
      if (result.etag && etagMatches(event.headers?.['if-none-match'], result.etag)) {
        return { statusCode: 304, headers };
      }
      const body = 'json' in result ? result.json : JSON.stringify(result.body);
      // HEAD says how long the GET body is (RFC 9110 §8.6), rather than the 0 of its own empty body.
      if (method === 'HEAD')
        return {
          statusCode: 200,
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
          },
          body: '',
        };
      return { statusCode: 200, headers: { ...headers, 'content-type': 'application/json' }, body };
    } catch (error) {
      const response = problemResponse(error, path, (unexpected) =>
        observability?.logger.error('unhandled error answering a request', {
          path,
          method,
          error: unexpected,
        }),
      );
      return { ...response, headers: { ...cors, ...response.headers } };
    }
  };
};
