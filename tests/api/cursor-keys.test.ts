import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { makeApiHandler } from '../../functions/api/app';
import { makeCursorCodec } from '../../functions/api/cursor';
import { CursorKeyError, type CursorKeyProvider, fixedCursorKeys } from '../../functions/api/cursor-keys';
import { ApiProblem } from '../../functions/api/problem';
import {
  CURRENT_KEY_TTL_MS,
  type ReadSecretStage,
  readThroughExtension,
  SecretReadError,
  type SecretStage,
  secretCursorKeys,
} from '../../functions/api/secret-cursor-keys';
import { makeArticleReader } from '../../functions/store/article-reader';
import { httpEvent } from './fixtures';
import { bodyOf } from './mock-app';

const OLD = 'old-cursor-key-old-cursor-key-old-cursor-key';
const NEW = 'new-cursor-key-new-cursor-key-new-cursor-key';
const NEWER = 'newer-cursor-key-newer-cursor-key-newer-key';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cursor';
const Position = z.string();

const isBadCursor = async (promise: Promise<unknown>) =>
  promise.then(
    () => false,
    (error) => error instanceof ApiProblem && error.status === 400,
  );

/** A Secrets Manager stand-in: the stages' values, which a test rotates, and the reads that reached it. */
const fakeSecret = (stages: Partial<Record<SecretStage, string>>) => {
  const reads: SecretStage[] = [];
  const read: ReadSecretStage = async (_id, stage) => {
    reads.push(stage);
    return stages[stage];
  };
  return { reads, read, stages };
};

describe('a rotation of the cursor key', () => {
  it('keeps cursors signed with the previous key valid, and signs new ones with the current key', async () => {
    const before = makeCursorCodec(fixedCursorKeys(OLD));
    const after = makeCursorCodec(fixedCursorKeys(NEW, [OLD]));
    const oldCursor = await before.seal('q', 'position-1');
    expect(await after.open(oldCursor, 'q', Position)).toBe('position-1');
    const newCursor = await after.seal('q', 'position-2');
    expect(await isBadCursor(before.open(newCursor, 'q', Position))).toBe(true);
    // Two rotations later the old key is gone, and so are its cursors.
    const later = makeCursorCodec(fixedCursorKeys(NEWER, [NEW]));
    expect(await isBadCursor(later.open(oldCursor, 'q', Position))).toBe(true);
  });

  it('accepts a key staged as AWSPENDING before any instance signs with it', async () => {
    const secret = fakeSecret({ AWSCURRENT: OLD });
    const codec = makeCursorCodec(secretCursorKeys(SECRET, { read: secret.read }));
    secret.stages.AWSPENDING = NEW;
    const early = await makeCursorCodec(fixedCursorKeys(NEW)).seal('q', 'p');
    expect(await codec.open(early, 'q', Position)).toBe('p');
  });

  it('does not turn forged cursors into reads of stages that have no version', async () => {
    let clock = 0;
    const secret = fakeSecret({ AWSCURRENT: NEW });
    const codec = makeCursorCodec(secretCursorKeys(SECRET, { read: secret.read, now: () => clock }));
    const forged = await makeCursorCodec(fixedCursorKeys(NEWER)).seal('q', 'p');
    for (let i = 0; i < 3; i++) expect(await isBadCursor(codec.open(forged, 'q', Position))).toBe(true);
    // The current stage is the extension's to cache; the absent ones are remembered here for 5 minutes.
    expect(secret.reads.filter((s) => s !== 'AWSCURRENT')).toEqual(['AWSPREVIOUS', 'AWSPENDING']);
    clock = 300_001;
    await isBadCursor(codec.open(forged, 'q', Position));
    expect(secret.reads.filter((s) => s !== 'AWSCURRENT')).toHaveLength(4);
  });
});

describe('secretCursorKeys', () => {
  it('reads only the current stage to sign, and the others only for a cursor the current key does not verify', async () => {
    const secret = fakeSecret({ AWSCURRENT: NEW, AWSPREVIOUS: OLD });
    const codec = makeCursorCodec(secretCursorKeys(SECRET, { read: secret.read }));
    expect(secret.reads).toEqual([]);
    const cursor = await codec.seal('q', 'p');
    expect(await codec.open(cursor, 'q', Position)).toBe('p');
    // Sealing and opening read the current key once: it is kept a minute.
    expect(secret.reads).toEqual(['AWSCURRENT']);
    const old = await makeCursorCodec(fixedCursorKeys(OLD)).seal('q', 'o');
    expect(await codec.open(old, 'q', Position)).toBe('o');
    expect(secret.reads).toContain('AWSPREVIOUS');
  });

  it('picks up a rotated key once its minute is over, and still opens the cursors of the old one', async () => {
    let clock = 0;
    const secret = fakeSecret({ AWSCURRENT: OLD });
    const codec = makeCursorCodec(secretCursorKeys(SECRET, { read: secret.read, now: () => clock }));
    const before = await codec.seal('q', 'before');
    secret.stages.AWSPREVIOUS = OLD;
    secret.stages.AWSCURRENT = NEW;
    clock = CURRENT_KEY_TTL_MS + 1;
    const after = await codec.seal('q', 'after');
    expect(await makeCursorCodec(fixedCursorKeys(NEW)).open(after, 'q', Position)).toBe('after');
    expect(await codec.open(before, 'q', Position)).toBe('before');
  });

  it('refuses a key too short to sign with, or a secret with no current version, naming the secret', async () => {
    const short = secretCursorKeys(SECRET, { read: fakeSecret({ AWSCURRENT: 'short' }).read });
    await expect(short.current()).rejects.toThrow(CursorKeyError);
    await expect(short.current()).rejects.toThrow(SECRET);
    const none = secretCursorKeys(SECRET, { read: fakeSecret({}).read });
    await expect(none.current()).rejects.toThrow(/no AWSCURRENT/);
  });
});

describe('the API and the cursor key', () => {
  const spyKeys = (): CursorKeyProvider & { asked: number } => {
    const keys = fixedCursorKeys(NEW);
    const spy = {
      asked: 0,
      current: async () => {
        spy.asked++;
        return keys.current();
      },
      previous: async () => {
        spy.asked++;
        return keys.previous();
      },
    };
    return spy;
  };

  it('asks for no key on requests that seal and open no cursor, and for one on a request that does', async () => {
    const ddb = mockClient(DynamoDBDocumentClient);
    const summary = (n: number) => ({
      id: `${n}`.padStart(16, 'a'),
      headline: `S${n}`,
      publishedDate: '2024-11-13',
      sk: `2024-11-13#${n}`,
    });
    const keys = spyKeys();
    const app = makeApiHandler({
      reader: makeArticleReader({ client: new DynamoDBClient({ region: 'us-east-1' }), tableName: 'a' }),
      cursorKeys: keys,
      corsAllowOrigins: [],
    });
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'DATE#2024-11#0' } })
      .resolves({ Items: [3, 2, 1].map(summary) });
    // Date lists first read the month list (functions/store/read-dates.ts): one month holds the articles.
    ddb
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'MONTH' } })
      .resolves({ Items: [{ sk: '2024-11' }] });
    for (const target of ['/health', '/openapi.json', '/articles?limit=5', '/nope'])
      expect((await app(httpEvent(target))).statusCode, target).not.toBe(500);
    expect(keys.asked).toBe(0);
    // A full page has a next page: its cursor is sealed with the key.
    expect(bodyOf(await app(httpEvent('/articles?limit=2'))).nextCursor).toEqual(expect.any(String));
    expect(keys.asked).toBe(1);
    ddb.restore();
  });

  it('asks for no key to refuse a cursor that is not even shaped like one', async () => {
    const keys = spyKeys();
    const codec = makeCursorCodec(keys);
    for (const garbage of ['abc', 'a.b.c', 'eyJ2IjoxfQ.AAAA'])
      expect(await isBadCursor(codec.open(garbage, 'q', Position))).toBe(true);
    expect(keys.asked).toBe(0);
  });
});

describe('the Parameters and Secrets extension reader', () => {
  let server: Server;
  const requests: IncomingMessage[] = [];
  let answer: (url: URL) => { status: number; body: string };
  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req);
      const { status, body } = answer(new URL(req.url ?? '/', 'http://localhost'));
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const read = () =>
    readThroughExtension({
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String((server.address() as AddressInfo).port),
      AWS_SESSION_TOKEN: 'session-token',
    });

  it('asks for the secret and stage with the session token, and returns its string', async () => {
    answer = () => ({ status: 200, body: JSON.stringify({ Name: 'cursor', SecretString: NEW }) });
    expect(await read()(SECRET, 'AWSPREVIOUS')).toBe(NEW);
    const request = requests.at(-1);
    const url = new URL(request?.url ?? '/', 'http://localhost');
    expect(url.pathname).toBe('/secretsmanager/get');
    expect(Object.fromEntries(url.searchParams)).toEqual({ secretId: SECRET, versionStage: 'AWSPREVIOUS' });
    expect(request?.headers['x-aws-parameters-secrets-token']).toBe('session-token');
  });

  it('reads a stage with no version as none, and any other failure as an error', async () => {
    answer = () => ({
      status: 400,
      body: 'ResourceNotFoundException: no version with staging label AWSPENDING',
    });
    expect(await read()(SECRET, 'AWSPENDING')).toBeUndefined();
    answer = () => ({ status: 400, body: 'AccessDeniedException: not authorized' });
    await expect(read()(SECRET, 'AWSCURRENT')).rejects.toThrow(SecretReadError);
    answer = () => ({ status: 200, body: JSON.stringify({ SecretBinary: 'AAAA' }) });
    await expect(read()(SECRET, 'AWSCURRENT')).rejects.toThrow(/no string/);
  });
});
