import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { BODY_READER_FILE } from '../../functions/api/body-reader-file';
import { logicalId, type Synthesized, synthesize } from './synth';

/**
 * The size budget of the minified API bundle (index.mjs, source map excluded). Measured here: 286 KiB, most of
 * it the bundled AWS SDK's DynamoDB client (a four-line DynamoDB DocumentClient handler alone bundles to 334 KB
 * with the SDK's full credential chain; the API bundle swaps that chain, the event-stream codec and the X-Ray SDK
 * for the stand-ins in API_BUNDLE_ALIASES and functions/shared/xray.ts). 250 KB is out of reach while the SDK is
 * bundled; the budget sits just above today's figure so that growth is a decision, not an accident.
 * The S3 client that reads bodies stored outside their item (~165 KiB) is not in it: it ships beside it as
 * body-reader.mjs, imported only for such an article (functions/api/body-reader-file.ts).
 */
const API_BUNDLE_BUDGET_BYTES = 300 * 1024;

/** Packages the API must never carry: the NLP libraries belong to ingest only. */
const NLP_PACKAGES = ['compromise', 'chrono-node'];

const SourceMapSchema = z.object({ sources: z.array(z.string()) });

let outdir: string;
let synthesized: Synthesized;

/** The bundle directory of a function: the asset whose hash names the function's code object. */
const bundleDir = (fn: IConstruct): string => {
  const code = synthesized.template.findResources('AWS::Lambda::Function')[logicalId(fn)]?.Properties.Code;
  const hash = z
    .string()
    .regex(/^[0-9a-f]{64}\.zip$/)
    .parse(code?.S3Key)
    .replace('.zip', '');
  return path.join(outdir, `asset.${hash}`);
};

const bundledPackages = (dir: string, file = 'index.mjs'): string[] => {
  const map = SourceMapSchema.parse(JSON.parse(readFileSync(path.join(dir, `${file}.map`), 'utf8')));
  return map.sources.flatMap((s) => {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(s);
    return match?.[1] ? [match[1]] : [];
  });
};

beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'news-pipeline-cdk-'));
  synthesized = synthesize({}, { bundle: true, outdir });
  synthesized.app.synth();
}, 180_000);

afterAll(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('bundling with the local esbuild', () => {
  it('produces an ESM bundle and its source map for both functions', () => {
    for (const fn of [synthesized.stack.ingest.ingest.function, synthesized.stack.api.api.function]) {
      const dir = bundleDir(fn);
      expect(existsSync(path.join(dir, 'index.mjs')), dir).toBe(true);
      expect(existsSync(path.join(dir, 'index.mjs.map')), dir).toBe(true);
      // The banner that gives bundled CommonJS code a `require` in an ES module.
      expect(readFileSync(path.join(dir, 'index.mjs'), 'utf8').slice(0, 200)).toContain('createRequire');
    }
  });

  it('bundles the AWS SDK instead of relying on the runtime copy', () => {
    expect(bundledPackages(bundleDir(synthesized.stack.api.api.function))).toContain(
      '@aws-sdk/client-dynamodb',
    );
    expect(bundledPackages(bundleDir(synthesized.stack.ingest.ingest.function))).toContain(
      '@aws-sdk/client-s3',
    );
  });

  it('keeps the NLP libraries out of the API bundle', () => {
    // The source map lists every bundled file; the SDK check above shows the listing finds packages.
    const api = new Set(bundledPackages(bundleDir(synthesized.stack.api.api.function)));
    for (const pkg of NLP_PACKAGES) expect(api.has(pkg), pkg).toBe(false);
  });

  it('load as ES modules: the API bundle answers a request, the ingest bundle exports its handler', async () => {
    // The configuration each function reads at cold start, with throwaway credentials: no AWS call is made.
    Object.assign(process.env, {
      TABLE_NAME: 'articles',
      BODY_BUCKET: 'article-bodies',
      CURSOR_SECRET_ID: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:cursor',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    const load = async (fn: IConstruct) =>
      z
        .object({ handler: z.custom<(event: unknown) => Promise<unknown>>((v) => typeof v === 'function') })
        .parse(await import(pathToFileURL(path.join(bundleDir(fn), 'index.mjs')).href));
    const api = await load(synthesized.stack.api.api.function);
    const response = z.object({ statusCode: z.number(), body: z.string() }).parse(
      await api.handler({
        version: '2.0',
        routeKey: 'GET /openapi.json',
        rawPath: '/openapi.json',
        rawQueryString: '',
        headers: {},
        isBase64Encoded: false,
        requestContext: {
          http: { method: 'GET', path: '/openapi.json', sourceIp: '127.0.0.1' },
          requestId: 'bundle-test',
          routeKey: 'GET /openapi.json',
          stage: '$default',
        },
      }),
    );
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ openapi: expect.stringMatching(/^3\.1/) });
    await load(synthesized.stack.ingest.ingest.function);
  });

  it('ships the page beside the API bundle, not in it', async () => {
    const dir = bundleDir(synthesized.stack.api.api.function);
    for (const file of ['index.html', 'app.js', 'style.css', 'reference.html', 'swagger-ui-bundle.js'])
      expect(existsSync(path.join(dir, 'ui', file)), file).toBe(true);
    const bundle = readFileSync(path.join(dir, 'index.mjs'), 'utf8');
    // Swagger UI's and the page script's own strings stay in their files.
    expect(bundle).not.toContain('SwaggerUIBundle');
    expect(bundle).not.toContain('Articles, newest first');
    expect(bundledPackages(dir)).not.toContain('swagger-ui-dist');
    // The bundle finds the files through import.meta.url, wherever Lambda unpacks it.
    const api = z
      .object({ handler: z.custom<(event: unknown) => Promise<unknown>>((v) => typeof v === 'function') })
      .parse(await import(pathToFileURL(path.join(dir, 'index.mjs')).href));
    const page = z
      .object({ statusCode: z.number(), headers: z.record(z.string(), z.string()), body: z.string() })
      .parse(
        await api.handler({
          version: '2.0',
          routeKey: '$default',
          rawPath: '/',
          rawQueryString: '',
          headers: {},
          isBase64Encoded: false,
          requestContext: {
            http: { method: 'GET', path: '/', sourceIp: '127.0.0.1' },
            requestId: 'bundle-page',
            routeKey: '$default',
            stage: '$default',
          },
        }),
      );
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<script src="ui/app.js"');
  });

  it('ships the S3 body reader beside the API bundle, not in it', () => {
    const dir = bundleDir(synthesized.stack.api.api.function);
    expect(existsSync(path.join(dir, BODY_READER_FILE))).toBe(true);
    expect(bundledPackages(dir)).not.toContain('@aws-sdk/client-s3');
    const reader = bundledPackages(dir, BODY_READER_FILE);
    expect(reader).toContain('@aws-sdk/client-s3');
    // Built with the API's aliases: the environment credentials alone, not the SDK's whole chain.
    expect(reader).not.toContain('@aws-sdk/credential-provider-node');
    // index.mjs names the file for its run-time import, so esbuild did not inline it.
    expect(readFileSync(path.join(dir, 'index.mjs'), 'utf8')).toContain(BODY_READER_FILE);
  });

  it('keeps the minified API bundle within its size budget', () => {
    const size = statSync(path.join(bundleDir(synthesized.stack.api.api.function), 'index.mjs')).size;
    expect(size).toBeLessThanOrEqual(API_BUNDLE_BUDGET_BYTES);
  });
});
