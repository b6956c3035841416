import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../infra/constructs/lookup-api';
import { LOCAL_API_ROUTES, localApiRouter, makeRouter } from '../../infra/local/routes';

describe('local API routes', () => {
  it('are the routes the CDK stack declares', () => {
    expect(LOCAL_API_ROUTES).toBe(API_ROUTES);
  });

  const route = localApiRouter();

  it.each([
    ['/articles/abc', { routeKey: 'GET /articles/{id}', pathParameters: { id: 'abc' } }],
    ['/articles', { routeKey: 'GET /articles' }],
    [
      '/entities/person/Sergei Shoigu/articles',
      {
        routeKey: 'GET /entities/{type}/{name}/articles',
        pathParameters: { type: 'person', name: 'Sergei Shoigu' },
      },
    ],
    [
      '/uploads/news/a b+c.txt',
      { routeKey: 'GET /uploads/{key+}', pathParameters: { key: 'news/a b+c.txt' } },
    ],
    ['/health', { routeKey: 'GET /health' }],
    ['/openapi.json', { routeKey: 'GET /openapi.json' }],
  ])('GET %s', (path, expected) => {
    expect(route('GET', path)).toEqual(expected);
  });

  it('sends unknown paths and other methods to $default, as the stack does', () => {
    expect(route('GET', '/nope')).toEqual({ routeKey: '$default' });
    expect(route('POST', '/articles/abc')).toEqual({ routeKey: '$default' });
    expect(route('GET', '/uploads')).toEqual({ routeKey: '$default' });
  });

  it('prefers a literal segment over a variable, and a variable over a greedy tail', () => {
    const r = makeRouter(
      [
        { method: 'GET', path: '/a/{x+}' },
        { method: 'GET', path: '/a/{id}' },
        { method: 'GET', path: '/a/fixed' },
      ],
      false,
    );
    expect(r('GET', '/a/fixed')?.routeKey).toBe('GET /a/fixed');
    expect(r('GET', '/a/other')?.routeKey).toBe('GET /a/{id}');
    expect(r('GET', '/a/b/c')?.routeKey).toBe('GET /a/{x+}');
    expect(r('GET', '/b')).toBeNull();
  });
});
