import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { logicalId, type Synthesized, synthesize } from './synth';

/**
 * The size budget of the minified API bundle (index.mjs, source map excluded). The AWS SDK is bundled, so the
 * DynamoDB client alone is about 330 KB minified; Powertools with the X-Ray tracer adds about 140 KB. Measured
 * here: 970 KB, of which about 360 KB is zod's locale tables pulled in by `import { z } from 'zod'` (the
 * namespace object defeats tree-shaking; `import * as z from 'zod'` measured 610 KB). The budget sits just above
 * today's figure so growth is noticed; lower it when the imports change.
 */
const API_BUNDLE_BUDGET_BYTES = 1024 * 1024;

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

const bundledPackages = (dir: string): string[] => {
  const map = SourceMapSchema.parse(JSON.parse(readFileSync(path.join(dir, 'index.mjs.map'), 'utf8')));
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

  it('keeps the minified API bundle within its size budget', () => {
    const size = statSync(path.join(bundleDir(synthesized.stack.api.api.function), 'index.mjs')).size;
    expect(size).toBeLessThanOrEqual(API_BUNDLE_BUDGET_BYTES);
  });
});
