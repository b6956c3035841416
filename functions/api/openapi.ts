import document from './openapi.json' with { type: 'json' };

/**
 * The OpenAPI document, generated at build time by ./openapi-build.ts (which needs classic zod and the article
 * core; the API bundle needs neither). Serialised on the first request for it, not at cold start: most
 * containers never serve it.
 */
let serialised: string | undefined;

export const openApiJson = (): string => {
  serialised ??= JSON.stringify(document);
  return serialised;
};
