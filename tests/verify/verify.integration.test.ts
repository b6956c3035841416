import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { articleIdForKey, MAX_ARTICLE_BYTES } from '../../functions/core/article';
import { normaliseArticle } from '../../functions/core/normalise';
import { makeVerifier } from '../../functions/verify/verifier';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local';
import { makeLocalS3Client } from '../../infra/local/s3-local';
import { type LocalStack, startLocalStack } from '../../infra/local/stack';
import { HARBOUR_ARTICLE, LIBRARY_ARTICLE, longArticle } from '../e2e/articles';
import { quietObservability } from '../support/quiet-observability';

/**
 * The verifier through the local stack: damage made behind the pipeline's back (derived items deleted, copies
 * under made-up ids, numbers changed, a count changed, an orphan in the body bucket, a record whose object is gone,
 * an object whose record is gone) is found, mended by --repair, found clean after, and every lookup answers
 * exactly as before the damage.
 */
const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const SEEDS = resolve(ROOT, 'seeds');
const verifyCli = async (...args: string[]) => {
  try {
    const { stdout } = await run(
      process.execPath,
      ['--openssl-legacy-provider', '--import', 'tsx', 'infra/local/verify.ts', ...args],
      {
        cwd: ROOT,
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      },
    );
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, stdout: e.stdout };
  }
};

let dataDir: string;
let stack: LocalStack;
let s3: S3Client;
let doc: DynamoDBDocumentClient;
let table = 'articles';

const texts: Record<string, string> = {
  'desk/harbour.txt': HARBOUR_ARTICLE,
  'desk/library.txt': LIBRARY_ARTICLE,
  'desk/harbour-copy.txt': HARBOUR_ARTICLE.replace('Monday', 'Friday'),
  'desk/gone.txt': LIBRARY_ARTICLE.replace('Ashcombe', 'Bexcombe'),
};

const get = async (path: string) => {
  const res = await fetch(`${stack.apiUrl}${path}`);
  return { status: res.status, body: await res.text() };
};
/** The lookups a client makes: every list the API serves, and each article by id. */
const lookups = async () => {
  const paths = [
    '/articles?limit=50',
    '/articles?from=2025-03-01&to=2025-03-31',
    '/entities?type=person',
    '/entities?type=place',
    '/entities?type=organization',
    '/entities/person/helena%20trask/articles',
    '/entities/person/trask/articles',
    '/entities/person/duncan%20mayhew/articles',
    '/entities/place/ashcombe/articles',
    '/search?q=harbour',
    '/search?q=library',
    '/search?q=harbour%20wall',
    ...Object.keys({ ...texts, [readdirSync(SEEDS)[0] ?? '']: '' })
      .filter((k) => k !== 'desk/gone.txt')
      .map((k) => `/articles/${articleIdForKey(k)}`),
  ];
  return Object.fromEntries(await Promise.all(paths.map(async (p) => [p, await get(p)] as const)));
};
const scan = async () => (await doc.send(new ScanCommand({ TableName: table }))).Items ?? [];
const verify = async (repair: boolean) => {
  const res = await fetch(`${stack.apiUrl}/_local/verify`, {
    method: 'POST',
    body: JSON.stringify({ repair }),
  });
  const text = await res.text();
  if (!res.ok || !text) throw new Error(`POST /_local/verify answered ${res.status}: ${text}`);
  return JSON.parse(text) as { found: Record<string, { count: number }>; clean: boolean; mended?: unknown };
};
const counts = (found: Record<string, { count: number }>) =>
  Object.fromEntries(
    Object.entries(found)
      .filter(([, k]) => k.count > 0)
      .map(([kind, k]) => [kind, k.count]),
  );

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'verify-'));
  stack = await startLocalStack({ dataDir, seedsDir: SEEDS });
  s3 = makeLocalS3Client(stack.s3Endpoint);
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ ...LOCAL_AWS, endpoint: stack.dynamoDbEndpoint }));
  table = stack.tableName;
  for (const [key, text] of Object.entries(texts))
    await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: text }));
  await stack.waitForIdle();
}, 120_000);
afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run verify on the local stack', () => {
  it('finds nothing on an undamaged table, and exits 0', async () => {
    expect((await verify(false)).clean).toBe(true);
    const cli = await verifyCli('--data-dir', dataDir);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain('Found: no drift');
  });

  it('finds damage of every kind, mends it, is clean after, and every lookup answers as before', async () => {
    const before = await lookups();
    const items = await scan();
    const derived = items.filter((i) => /^(DATE|ENT|ALIAS|TERM)#/.test(String(i.pk)));
    const harbour = articleIdForKey('desk/harbour.txt');
    // Derived items deleted: every tenth.
    for (const item of derived.filter((_, i) => i % 10 === 0))
      await doc.send(new DeleteCommand({ TableName: table, Key: { pk: item.pk, sk: item.sk } }));
    // Copies under made-up ids.
    for (const item of derived.slice(1, 4))
      await doc.send(
        new PutCommand({
          TableName: table,
          Item: { ...item, sk: `${String(item.sk)}x`, id: 'ffffffffffffffff' },
        }),
      );
    // Numbers changed: an entry's mentions, a count.
    const entity = derived.find(
      (i, n) => n % 10 !== 0 && String(i.pk).startsWith('ENT#') && i.id === harbour,
    );
    if (!entity) throw new Error('no entity entry of the harbour article');
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: entity.pk, sk: entity.sk },
        UpdateExpression: 'SET mentions = :m',
        ExpressionAttributeValues: { ':m': 99 },
      }),
    );
    const counter = items.find((i) => String(i.pk).startsWith('ENTCAT#person#'));
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: counter?.pk, sk: counter?.sk },
        UpdateExpression: 'SET articleCount = :n',
        ExpressionAttributeValues: { ':n': 42 },
      }),
    );
    // An orphan in the body bucket.
    await s3.send(
      new PutObjectCommand({
        Bucket: `${stack.bucket}-bodies`,
        Key: 'orphan.json.gz',
        Body: 'nothing points here',
      }),
    );
    // An object removed behind the pipeline's back (its record stays), and a record removed (its object stays).
    await doc.send(
      new DeleteCommand({
        TableName: table,
        Key: { pk: `ART#${articleIdForKey('desk/harbour-copy.txt')}`, sk: 'RECORD' },
      }),
    );
    await stack.waitForIdle();

    const found = await verify(false);
    expect(found.clean).toBe(false);
    expect(counts(found.found)).toMatchObject({
      'derived-missing': expect.any(Number),
      'derived-orphan': expect.any(Number),
      'derived-differs': expect.any(Number),
      'count-differs': expect.any(Number),
      'body-orphan': 1,
      'object-without-record': 1,
    });
    const cli = await verifyCli('--data-dir', dataDir);
    expect(cli.code).toBe(1);

    const repaired = await verify(true);
    expect(repaired.clean).toBe(true);
    expect((await verify(false)).clean).toBe(true);
    expect((await verifyCli('--data-dir', dataDir)).code).toBe(0);
    const after = await lookups();
    const changed = Object.keys(before).filter((p) => JSON.stringify(after[p]) !== JSON.stringify(before[p]));
    expect(changed.map((p) => [p, before[p], after[p]])).toEqual([]);
  });

  it("an object removed behind the pipeline's back: its record is found, marked deleted, and leaves every list", async () => {
    const gone = articleIdForKey('desk/gone.txt');
    expect((await get('/entities/place/bexcombe/articles')).body).toContain(gone);
    await s3Delete('desk/gone.txt');
    const found = await verify(false);
    expect(counts(found.found)).toEqual({ 'record-without-object': 1 });
    expect((await verify(true)).clean).toBe(true);
    expect((await get(`/articles/${gone}`)).status).toBe(404);
    expect((await get('/entities/place/bexcombe/articles')).body).not.toContain(gone);
    expect(JSON.parse((await get('/uploads/desk/gone.txt')).body)).toMatchObject({
      status: 'deleted',
      indexedAt: expect.any(String),
    });
  });
});

describe('a record re-ingested by a repair', () => {
  it('keeps the body of an article too large for its item in the body bucket, as the ingest does', async () => {
    const key = 'desk/long.txt';
    const id = articleIdForKey(key);
    await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: longArticle(150_000) }));
    await stack.waitForIdle();
    const record = { pk: `ART#${id}`, sk: 'RECORD' };
    const stored = (await doc.send(new GetCommand({ TableName: table, Key: record }))).Item;
    expect(stored?.bodyKey).toEqual(expect.stringMatching(/^bodies\//));
    const before = await get(`/articles/${id}`);
    await doc.send(new DeleteCommand({ TableName: table, Key: record }));
    await stack.waitForIdle();
    expect(counts((await verify(true)).found)).toMatchObject({ 'object-without-record': 1 });
    const mended = (await doc.send(new GetCommand({ TableName: table, Key: record }))).Item;
    expect(mended).toMatchObject({ status: 'ingested', bodyKey: expect.stringMatching(/^bodies\//) });
    expect(await get(`/articles/${id}`)).toEqual(before);
    expect((await verify(false)).clean).toBe(true);
  });
});

describe('a repair racing uploads and deletes', () => {
  it('never undoes the newer write: every key ends as its newest upload or delete left it', async () => {
    const keys = ['race/a.txt', 'race/b.txt', 'race/c.txt', 'race/d.txt'];
    for (const key of keys)
      await s3.send(
        new PutObjectCommand({
          Bucket: stack.bucket,
          Key: key,
          Body: HARBOUR_ARTICLE.replace('Monday', key),
        }),
      );
    await stack.waitForIdle();
    // Damage each key, so the repair has something to do on every one of them.
    const items = await scan();
    for (const key of keys) {
      const id = articleIdForKey(key);
      const entry = items.find((i) => i.id === id && String(i.pk).startsWith('ENT#'));
      await doc.send(new DeleteCommand({ TableName: table, Key: { pk: entry?.pk, sk: entry?.sk } }));
    }
    await doc.send(
      new DeleteCommand({
        TableName: table,
        Key: { pk: `ART#${articleIdForKey('race/c.txt')}`, sk: 'RECORD' },
      }),
    );
    await stack.waitForIdle();
    // The worst interleaving: the verifier examines the table, the newer uploads and deletes land and are
    // derived, and only then are its repairs applied, each against a record or item that has moved on.
    const verifier = makeVerifier({
      client: new DynamoDBClient({ ...LOCAL_AWS, endpoint: stack.dynamoDbEndpoint }),
      tableName: table,
      s3,
      bucket: stack.bucket,
      bodyBucket: `${stack.bucket}-bodies`,
      bodies: { get: async () => null },
      normalise: normaliseArticle,
      observability: quietObservability(),
      maxObjectBytes: MAX_ARTICLE_BYTES,
      inFlightMs: 0,
    });
    const examined = await verifier.check();
    expect(examined.findings.length).toBeGreaterThan(0);
    const newer = LIBRARY_ARTICLE.replace('Ashcombe', 'Racecombe');
    for (const key of ['race/a.txt', 'race/c.txt'])
      await s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: newer }));
    for (const key of ['race/b.txt', 'race/d.txt'])
      await s3.send(new DeleteObjectCommand({ Bucket: stack.bucket, Key: key }));
    await stack.waitForIdle();
    const tally = await verifier.repair(examined.findings);
    // The record-level repairs found their records changed since, and left them alone.
    expect(tally['object-without-record']).toEqual({ mended: 0, changedSince: 1 });
    await stack.waitForIdle();
    expect((await verify(false)).clean).toBe(true);
    for (const key of ['race/a.txt', 'race/c.txt']) {
      const article = JSON.parse((await get(`/articles/${articleIdForKey(key)}`)).body);
      expect(article.lede).toContain('Racecombe');
    }
    for (const key of ['race/b.txt', 'race/d.txt'])
      expect((await get(`/articles/${articleIdForKey(key)}`)).status).toBe(404);
  });
});

/** Removes an object without the local bridge telling the pipeline: the event is lost. */
const s3Delete = async (key: string) => {
  const { unlinkSync } = await import('node:fs');
  const dir = join(dataDir, 's3', stack.bucket);
  for (const suffix of ['._S3rver_object', '._S3rver_metadata.json', '._S3rver_object.md5'])
    try {
      unlinkSync(join(dir, `${key}${suffix}`));
    } catch {
      // not every s3rver version writes every file
    }
};
