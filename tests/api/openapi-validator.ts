import Ajv2020 from 'ajv/dist/2020.js';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { buildOpenApiDocument } from '../../functions/api/openapi-build';

/**
 * Checks a handler response against the OpenAPI document: the status is documented for the operation, the
 * content type is one it declares, the body validates against its JSON Schema (ajv, draft 2020-12 as OpenAPI 3.1
 * uses) and the headers it declares are present. Unknown paths are checked against the shared 404 problem.
 */
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export const makeOpenApiValidator = (document: Json = buildOpenApiDocument()) => {
  const ajv = new Ajv2020({ strict: false, allErrors: true, formats: { date: /^\d{4}-\d{2}-\d{2}$/ } });
  ajv.addSchema({ $id: 'openapi', components: document.components }, 'openapi');
  const paths = document.paths as Record<string, Record<string, Json>>;
  const templates = Object.keys(paths).map((template) => ({
    template,
    // `{key}` of /uploads takes the rest of the path (slashes included), as the deployed `{key+}` route does.
    pattern: new RegExp(
      `^${template
        .split('/')
        .map((seg) =>
          seg === '{key}' ? '.+' : seg.startsWith('{') ? '[^/]+' : seg.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
        )
        .join('/')}$`,
    ),
  }));

  const resolve = (node: Json): Json => {
    const ref = node.$ref;
    if (typeof ref !== 'string') return node;
    const target = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((at, part) => (isObject(at) ? at[part] : undefined), document);
    if (!isObject(target)) throw new Error(`unresolvable $ref ${ref}`);
    return target;
  };

  const validateSchema = (schema: unknown, body: unknown, where: string) => {
    const wrapped =
      isObject(schema) && typeof schema.$ref === 'string' ? { $ref: `openapi${schema.$ref}` } : schema;
    const validate = ajv.compile(isObject(wrapped) ? wrapped : {});
    if (!validate(body))
      throw new Error(`${where}: body does not match the schema: ${ajv.errorsText(validate.errors)}`);
  };

  return (method: string, path: string, response: APIGatewayProxyStructuredResultV2): void => {
    const status = String(response.statusCode);
    const headers = Object.fromEntries(
      Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
    );
    const pathOnly = path.split('?')[0] ?? path;
    const match = templates.find((t) => t.pattern.test(pathOnly));
    const where = `${method} ${path} -> ${status}`;
    // HEAD answers as GET without a body; other methods on a known path answer the GET operation's 405.
    const operation = method === 'OPTIONS' ? 'options' : 'get';
    const declared = match ? paths[match.template]?.[operation] : undefined;
    const responses = isObject(declared?.responses) ? declared.responses : undefined;
    // A path no operation declares can only answer the shared 404.
    const spec = responses
      ? responses[status]
      : status === '404'
        ? { $ref: '#/components/responses/NotFound' }
        : undefined;
    if (!isObject(spec)) throw new Error(`${where}: status not documented`);
    const resolved = resolve(spec);
    for (const name of Object.keys(isObject(resolved.headers) ? resolved.headers : {})) {
      if (!(name.toLowerCase() in headers)) throw new Error(`${where}: documented header ${name} missing`);
    }
    const content = isObject(resolved.content) ? resolved.content : undefined;
    if (!content) {
      if (response.body) throw new Error(`${where}: body present where none is documented`);
      return;
    }
    const type = (headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
    const media = content[type];
    if (!isObject(media)) throw new Error(`${where}: content type '${type}' not documented`);
    if (method === 'HEAD') return;
    validateSchema(media.schema, JSON.parse(response.body ?? ''), where);
  };
};
