import { API_ROUTE_PATHS } from '../../functions/api/route-paths';

/** The HTTP API's routes: the list the stack declares (all GET, plus a `$default` catch-all). */
export const LOCAL_API_ROUTES = API_ROUTE_PATHS;

export interface RouteMatch {
  routeKey: string;
  pathParameters?: Record<string, string>;
}

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; name: string }
  | { kind: 'greedy'; name: string };

interface CompiledRoute {
  method: string;
  path: string;
  segments: Segment[];
}

const compile = (method: string, path: string): CompiledRoute => ({
  method,
  path,
  segments: path
    .split('/')
    .filter(Boolean)
    .map((part): Segment => {
      const greedy = /^\{(.+)\+\}$/.exec(part);
      if (greedy?.[1]) return { kind: 'greedy', name: greedy[1] };
      const param = /^\{(.+)\}$/.exec(part);
      if (param?.[1]) return { kind: 'param', name: param[1] };
      return { kind: 'literal', text: part };
    }),
});

/** API Gateway prefers literal segments over variables, and variables over a greedy tail, left to right. */
const rank = (route: CompiledRoute) =>
  route.segments.map((s) => (s.kind === 'literal' ? '0' : s.kind === 'param' ? '1' : '2')).join('');

const matchSegments = (segments: Segment[], parts: string[]): Record<string, string> | null => {
  const params: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    if (segment.kind === 'greedy') {
      const rest = parts.slice(index);
      if (rest.length === 0) return null;
      params[segment.name] = rest.join('/');
      return params;
    }
    const part = parts[index];
    if (part === undefined || part === '') return null;
    if (segment.kind === 'literal' && segment.text !== part) return null;
    if (segment.kind === 'param') params[segment.name] = part;
  }
  return segments.length === parts.length ? params : null;
};

/**
 * Route selection for an HTTP API: `path` is the decoded request path (what API Gateway matches on and puts in
 * rawPath). No matching route gives `$default` when the API has one, else null (API Gateway's own 404).
 */
export const makeRouter = (routes: readonly { method: string; path: string }[], hasDefault: boolean) => {
  const compiled = routes
    .map((r) => compile(r.method, r.path))
    .sort((a, b) => rank(a).localeCompare(rank(b)));
  return (method: string, path: string): RouteMatch | null => {
    const parts = path.split('/').slice(1);
    if (parts.at(-1) === '' && parts.length > 1) parts.pop();
    for (const route of compiled) {
      if (route.method !== 'ANY' && route.method !== method) continue;
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      const routeKey = `${route.method} ${route.path}`;
      return Object.keys(params).length > 0 ? { routeKey, pathParameters: params } : { routeKey };
    }
    return hasDefault ? { routeKey: '$default' } : null;
  };
};

export const localApiRouter = () =>
  makeRouter(
    LOCAL_API_ROUTES.map((path) => ({ method: 'GET', path })),
    true,
  );
