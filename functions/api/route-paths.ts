/**
 * The API's paths, the one list the handler's route table, the CDK stack's HTTP API routes and the local
 * HTTP server all read. Kept free of imports so the stack and `npm start` can load it without the store or SDK.
 * Paths are a contract (clients' scripts call them). `{key+}` is greedy: it takes the rest of the path.
 */
export const ROUTE_PATHS = {
  getArticle: '/articles/{id}',
  listArticles: '/articles',
  listEntityArticles: '/entities/{type}/{name}/articles',
  listEntities: '/entities',
  search: '/search',
  getUpload: '/uploads/{key+}',
  health: '/health',
  openapi: '/openapi.json',
} as const;

export type RouteId = keyof typeof ROUTE_PATHS;

export const API_ROUTE_PATHS: readonly string[] = Object.values(ROUTE_PATHS);
