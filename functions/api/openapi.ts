import document from './openapi.json' with { type: 'json' };

/**
 * The OpenAPI document, generated at build time by ./openapi-build.ts (which needs classic zod and the article
 * core; the API bundle needs neither). Serialised once per cold start.
 */
export const openApiJson = (): string => JSON.stringify(document);
