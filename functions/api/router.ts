import { badParameter } from './problem';
import { ROUTES, type RouteSpec } from './route-table';

/**
 * Matches a raw (still percent-encoded) path against the route table. Routing on the raw path, not on API
 * Gateway's decoded pathParameters, keeps `%2F` inside an id or key from being mistaken for a separator and
 * lets the greedy `{key+}` decode the whole key once.
 */
export interface RouteMatch {
  route: RouteSpec;
  params: Record<string, string>;
}

const decode = (name: string, raw: string): string => {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw badParameter(name, 'is not valid percent-encoding');
  }
};

const compiled = ROUTES.map((route) => ({ route, segments: route.path.split('/').slice(1) }));

export const matchRoute = (rawPath: string): RouteMatch | null => {
  // No trailing-slash folding: an S3 key may end in "/", and `/articles/` is not `/articles`.
  const parts = rawPath.split('/').slice(1);
  for (const { route, segments } of compiled) {
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const segment = segments[i] ?? '';
      const part = parts[i];
      if (segment.endsWith('+}')) {
        const rest = parts.slice(i).join('/');
        if (rest.length === 0) {
          ok = false;
          break;
        }
        params[segment.slice(1, -2)] = decode(segment.slice(1, -2), rest);
        return { route, params };
      }
      if (part === undefined || part.length === 0) ok = false;
      else if (segment.startsWith('{')) params[segment.slice(1, -1)] = decode(segment.slice(1, -1), part);
      else ok = segment === part;
    }
    if (ok && parts.length === segments.length) return { route, params };
  }
  return null;
};
