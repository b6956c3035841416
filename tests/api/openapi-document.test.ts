import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import committed from '../../functions/api/openapi.json' with { type: 'json' };
import { buildOpenApiDocument } from '../../functions/api/openapi-build';
import { ROUTES } from '../../functions/api/route-table';
import { makeOpenApiValidator } from './openapi-validator';

const root = resolve(import.meta.dirname, '../..');

describe('the OpenAPI document', () => {
  it('is what the generator builds now (run `npx tsx functions/api/openapi-build.ts` after changing a route)', () => {
    expect(committed).toEqual(buildOpenApiDocument());
  });

  it('passes redocly lint (recommended-strict)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
    try {
      const file = join(dir, 'openapi.json');
      writeFileSync(file, JSON.stringify(buildOpenApiDocument()));
      const run = spawnSync(
        'npx',
        ['--no-install', 'redocly', 'lint', '--config', join(root, 'tests/api/redocly.yaml'), file],
        {
          cwd: root,
          encoding: 'utf8',
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
      );
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("declares API Gateway's 403 (IAM) and 429 (stage throttling) on every operation", () => {
    const doc = buildOpenApiDocument();
    const operations = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).flatMap((op) => (Array.isArray(op) ? [] : [op])),
    );
    expect(operations.length).toBeGreaterThan(ROUTES.length);
    for (const operation of operations) {
      expect(Object.keys(operation.responses), operation.operationId).toEqual(
        expect.arrayContaining(['403', '429']),
      );
    }
  });

  it('states the real limits of the upload key and of search words', () => {
    const doc = buildOpenApiDocument();
    const named = (name: string) => (p: unknown) => JSON.stringify(p).includes(`"name":"${name}"`);
    const upload = doc.paths['/uploads/{key}']?.parameters?.find(named('key'));
    expect(upload).toMatchObject({ schema: { maxLength: 1024 } });
    expect(JSON.stringify(upload)).toContain('1,024 bytes');
    const q = doc.paths['/search']?.get.parameters.find(named('q'));
    const description = JSON.stringify(q);
    for (const rule of ['letters or digits', 'lower', '64', 'stopword', 'characters'])
      expect(description).toContain(rule);
  });

  it('states the DynamoDB calls per page for every route, in the extension and the description', () => {
    const doc = buildOpenApiDocument();
    for (const route of ROUTES) {
      const get = doc.paths[route.path.replace('+}', '}')]?.get;
      expect(get?.['x-dynamodb-calls-per-page']).toBe(route.callsPerPage);
      expect(get?.description).toContain(`at most ${route.callsPerPage}`);
    }
  });

  it('carries the Article schema generated from the core zod schema', () => {
    const article = buildOpenApiDocument().components.schemas.Article as { required?: string[] };
    expect(article.required).toEqual(
      expect.arrayContaining(['id', 'headline', 'publishedDate', 'paragraphs', 'people']),
    );
  });
});

describe('the response validator used by every API test', () => {
  const validate = makeOpenApiValidator();
  const headers = { 'content-type': 'application/json', 'cache-control': 'max-age=30' };

  it('accepts a documented page and rejects a malformed one, an undocumented status and a missing header', () => {
    const page = JSON.stringify({
      items: [{ id: 'a', headline: 'h', publishedDate: null }],
      nextCursor: null,
    });
    expect(() => validate('GET', '/articles', { statusCode: 200, headers, body: page })).not.toThrow();
    const bad = JSON.stringify({ items: [{ id: 1 }], nextCursor: null });
    expect(() => validate('GET', '/articles', { statusCode: 200, headers, body: bad })).toThrow(/schema/);
    expect(() => validate('GET', '/articles', { statusCode: 418, headers, body: page })).toThrow(
      /not documented/,
    );
    expect(() =>
      validate('GET', '/articles', {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: page,
      }),
    ).toThrow(/Cache-Control/);
  });
});

describe('the read path', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
    });

  it('never scans: no Scan command in the API or the reader', () => {
    const files = [
      ...sources(join(root, 'functions/api')),
      ...sources(join(root, 'functions/store')).filter((f) => /read|article-reader/.test(f)),
    ];
    for (const file of files)
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/\bScan(Command|Paginator)\b|paginateScan/);
  });
});
