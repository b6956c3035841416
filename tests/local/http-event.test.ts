import { describe, expect, it } from 'vitest';
import { apiGatewayTime, parseQueryString, toHttpApiEvent } from '../../infra/local/http-event';

const base = {
  method: 'GET',
  sourceIp: '127.0.0.1',
  localPort: 3000,
  body: Buffer.alloc(0),
  now: new Date('2024-11-13T09:05:07.123Z'),
};

describe('toHttpApiEvent (API Gateway HTTP API payload 2.0)', () => {
  it('fills path, query, headers, cookies and requestContext as API Gateway does', () => {
    const event = toHttpApiEvent({
      ...base,
      url: '/entities/person/Sergei%20Shoigu/articles?limit=5&tag=a&tag=b%2Cc&q=x+y',
      rawHeaders: [
        'Host',
        '127.0.0.1:3000',
        'X-Multi',
        'one',
        'x-multi',
        'two',
        'Cookie',
        'a=1; b=2',
        'User-Agent',
        'curl/8',
      ],
      route: {
        routeKey: 'GET /entities/{type}/{name}/articles',
        pathParameters: { type: 'person', name: 'Sergei Shoigu' },
      },
    });
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /entities/{type}/{name}/articles',
      rawPath: '/entities/person/Sergei Shoigu/articles',
      rawQueryString: 'limit=5&tag=a&tag=b%2Cc&q=x+y',
      queryStringParameters: { limit: '5', tag: 'a,b,c', q: 'x y' },
      cookies: ['a=1', 'b=2'],
      pathParameters: { type: 'person', name: 'Sergei Shoigu' },
      isBase64Encoded: false,
      requestContext: {
        http: {
          method: 'GET',
          path: '/entities/person/Sergei Shoigu/articles',
          sourceIp: '127.0.0.1',
          userAgent: 'curl/8',
        },
        routeKey: 'GET /entities/{type}/{name}/articles',
        stage: '$default',
        time: '13/Nov/2024:09:05:07 +0000',
        timeEpoch: Date.parse('2024-11-13T09:05:07.123Z'),
        domainName: '127.0.0.1:3000',
      },
    });
    expect(event.headers).toMatchObject({
      host: '127.0.0.1:3000',
      'x-multi': 'one,two',
      'user-agent': 'curl/8',
    });
    expect(event.headers.cookie).toBeUndefined();
    expect(event.body).toBeUndefined();
  });

  it('omits queryStringParameters, pathParameters and cookies when there are none', () => {
    const event = toHttpApiEvent({
      ...base,
      url: '/health',
      rawHeaders: [],
      route: { routeKey: 'GET /health' },
    });
    expect(event.rawQueryString).toBe('');
    expect('queryStringParameters' in event).toBe(false);
    expect('pathParameters' in event).toBe(false);
    expect('cookies' in event).toBe(false);
  });

  it('passes text bodies as text and binary bodies as base64', () => {
    const text = toHttpApiEvent({
      ...base,
      url: '/x',
      rawHeaders: ['Content-Type', 'application/json'],
      body: Buffer.from('{"a":1}'),
      route: { routeKey: '$default' },
    });
    expect(text).toMatchObject({ body: '{"a":1}', isBase64Encoded: false });
    const binary = toHttpApiEvent({
      ...base,
      url: '/x',
      rawHeaders: ['Content-Type', 'application/octet-stream'],
      body: Buffer.from([0, 1, 2]),
      route: { routeKey: '$default' },
    });
    expect(binary).toMatchObject({ body: 'AAEC', isBase64Encoded: true });
  });
});

describe('helpers', () => {
  it('parseQueryString keeps __proto__ and constructor as plain parameters (so the API can refuse them)', () => {
    const query = parseQueryString('__proto__=1&constructor=2&constructor=3');
    expect(Object.keys(query ?? {})).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(query)).toBe(Object.prototype);
    expect(query?.constructor).toBe('2,3');
    expect(Object.getOwnPropertyDescriptor(query, '__proto__')?.value).toBe('1');
  });

  it('parseQueryString keeps empty values and joins repeats', () => {
    expect(parseQueryString('a=&a=2&flag')).toEqual({ a: ',2', flag: '' });
    expect(parseQueryString('')).toBeUndefined();
  });
  it('apiGatewayTime pads day and time', () => {
    expect(apiGatewayTime(new Date('2020-03-02T01:02:03Z'))).toBe('02/Mar/2020:01:02:03 +0000');
  });
});
