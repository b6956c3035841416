import { ROUTES, type RouteSpec } from './route-table';

/**
 * Matches the request path against the route table. HTTP APIs hand the function `rawPath` already
 * percent-decoded (`%2F` arrives as `/`, `%20` as a space; measured on live API Gateway, and the local server
 * does the same), so segments are used as they come: decoding again would corrupt a key holding a literal `%`.
 * The greedy `{key+}` takes the rest of the path, slashes included. A key holding `?` or `#` cannot be looked
 * up: API Gateway cuts the decoded path there (a documented limit).
 */
export interface RouteMatch {
  route: RouteSpec;
  params: Record<string, string>;
}

const compiled = ROUTES.map((route) => ({ route, segments: route.path.split('/').slice(1) }));

export const matchRoute = (path: string): RouteMatch | null => {
  // No trailing-slash folding: an S3 key may end in "/", and `/articles/` is not `/articles`.
  const parts = path.split('/').slice(1);
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
        params[segment.slice(1, -2)] = rest;
        return { route, params };
      }
      if (part === undefined || part.length === 0) ok = false;
      else if (segment.startsWith('{')) params[segment.slice(1, -1)] = part;
      else ok = segment === part;
    }
    if (ok && parts.length === segments.length) return { route, params };
  }
  return null;
};
