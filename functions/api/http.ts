/**
 * HTTP details that are not routing: CORS, conditional requests. Header names in payload v2 events are lower case.
 */
export const ALLOWED_METHODS = 'GET, HEAD, OPTIONS';

/** CORS headers for a request's Origin, if that origin is configured ("*" allows any). */
export const corsHeaders = (
  allowOrigins: readonly string[],
  origin: string | undefined,
): Record<string, string> => {
  if (allowOrigins.length === 0) return {};
  // Vary even when the origin is refused, so a cache never serves one origin's answer to another.
  const vary = { vary: 'Origin' };
  if (!origin || !(allowOrigins.includes(origin) || allowOrigins.includes('*'))) return vary;
  return { ...vary, 'access-control-allow-origin': origin, 'access-control-expose-headers': 'ETag' };
};

export const preflightHeaders = (): Record<string, string> => ({
  'access-control-allow-methods': ALLOWED_METHODS,
  'access-control-allow-headers':
    'authorization, content-type, if-none-match, x-amz-date, x-amz-security-token',
  'access-control-max-age': '600',
});

/** RFC 9110 If-None-Match: weak comparison, a list of tags, or `*`. */
export const etagMatches = (ifNoneMatch: string | undefined, etag: string): boolean => {
  if (!ifNoneMatch) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
};

export const parseOrigins = (list: string): string[] =>
  list
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o.length > 0);
