/**
 * Starts Swagger UI (loaded by reference.html from this same folder) on the API's own document. Read-only: no
 * "Try it out" (under IAM auth the browser could not sign the calls anyway) and no external validator badge.
 */
declare const SwaggerUIBundle: (options: Record<string, unknown>) => unknown;

SwaggerUIBundle({
  url: new URL('../openapi.json', document.baseURI).href,
  dom_id: '#reference',
  supportedSubmitMethods: [],
  validatorUrl: null,
  deepLinking: true,
});
