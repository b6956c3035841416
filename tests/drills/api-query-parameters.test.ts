import { describe, expect, it } from 'vitest';
import document from '../../functions/api/openapi.json' with { type: 'json' };
import { QUERY_PARAMETERS } from '../../functions/api/params';
import { ROUTES } from '../../functions/api/route-table';
import { bodyOf, makeMockedApi } from '../api/mock-app';

/**
 * Found by the API abuse drill: a misspelt parameter (`?form=` for `?from=`, `?limt=`) was silently ignored, so
 * a client got an unfiltered answer it took for a filtered one. Every route now accepts only its documented
 * query parameters.
 */
describe('drill finding: unknown query parameters', () => {
  it.each([
    ['/articles?form=2025-01-01', 'form'],
    ['/search?q=harbour&limt=5', 'limt'],
    ['/health?debug=true', 'debug'],
    ['/uploads/a.txt?versionId=1', 'versionId'],
  ])('%s answers 400 naming the parameter', async (target, name) => {
    const { call } = makeMockedApi();
    const response = await call(target);
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(bodyOf(response).invalidParams).toEqual([{ name, reason: 'is not a parameter of this route' }]);
  });

  it('declares exactly the query parameters of the OpenAPI document', () => {
    const PathSchema = (path: string) => path.replace('+}', '}');
    const refs: Record<string, string> = {
      '#/components/parameters/limit': 'limit',
      '#/components/parameters/cursor': 'cursor',
    };
    for (const route of ROUTES) {
      const operation = Object.entries(document.paths).find(([p]) => p === PathSchema(route.path))?.[1];
      const names = (operation?.get.parameters ?? []).flatMap(
        (p: { in?: string; name?: string; $ref?: string }) =>
          p.$ref ? [refs[p.$ref] ?? p.$ref] : p.in === 'query' && p.name ? [p.name] : [],
      );
      expect([route.id, [...QUERY_PARAMETERS[route.id]].sort()]).toEqual([route.id, names.sort()]);
    }
  });
});
