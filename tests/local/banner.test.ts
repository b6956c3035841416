import { describe, expect, it } from 'vitest';
import { banner } from '../../infra/local/banner';

describe('npm start banner', () => {
  const text = banner(
    {
      apiUrl: 'http://127.0.0.1:3000',
      s3Endpoint: 'http://127.0.0.1:4568',
      bucket: 'articles',
      dataDir: '/d',
    },
    'abcdef0123456789',
  );

  it('names the API, the S3 endpoint and its credentials', () => {
    expect(text).toContain('http://127.0.0.1:3000');
    expect(text).toMatch(/http:\/\/127\.0\.0\.1:4568 .*S3RVER \/ S3RVER/);
  });

  it('points a browser at the page', () => {
    expect(text).toMatch(/^ {2}Page {9}http:\/\/127\.0\.0\.1:3000\/ /m);
  });

  it('gives the three example commands: an article, a date listing and an aws s3 cp', () => {
    expect(text).toContain('curl -s http://127.0.0.1:3000/articles/abcdef0123456789');
    expect(text).toContain("curl -s 'http://127.0.0.1:3000/articles?from=");
    expect(text).toContain('aws s3 cp story.txt s3://articles/ --endpoint-url http://127.0.0.1:4568');
  });
});
