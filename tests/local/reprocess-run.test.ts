import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ReprocessMessageSchema } from '../../functions/ingest/event';
import type { UploadOutcomeSummary } from '../../infra/local/handler-types';
import { makeReprocessRunner } from '../../infra/local/reprocess-run';

const s3 = mockClient(S3Client);
const OLD = '2000-01-01T00:00:00.000Z';
const NEW = '2999-01-01T00:00:00.000Z';

beforeEach(() => {
  s3.reset();
  s3.on(ListObjectsV2Command)
    .resolvesOnce({
      Contents: [
        { Key: 'a.txt', ETag: '"1"', Size: 10 },
        { Key: 'b.txt', ETag: '"2"', Size: 20 },
      ],
      IsTruncated: true,
      NextContinuationToken: 'page-2',
    })
    .resolves({ Contents: [{ Key: 'c.txt', ETag: '"3"', Size: 30 }, { Key: 'd.txt' }], IsTruncated: false });
});

const setup = (outcomes: Record<string, (UploadOutcomeSummary & { at?: string }) | null>) => {
  const sent: string[] = [];
  const runner = makeReprocessRunner({
    s3: new S3Client({}),
    bucket: 'articles',
    send: (body) => sent.push(body),
    getOutcome: async (key) => outcomes[key] ?? null,
  });
  return { runner, sent };
};
const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('local reprocess run', () => {
  it('sends one reprocess message per listed object, over every page, under the prefix', async () => {
    const { runner, sent } = setup({});
    const run = runner.start('news/');
    await until(() => !run.listing);
    expect(s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'articles', Prefix: 'news/' },
      { Bucket: 'articles', Prefix: 'news/', ContinuationToken: 'page-2' },
    ]);
    expect(sent.map((b) => ReprocessMessageSchema.parse(JSON.parse(b)).reprocess)).toEqual([
      { bucket: 'articles', key: 'a.txt', eTag: '"1"', size: 10, run: run.run },
      { bucket: 'articles', key: 'b.txt', eTag: '"2"', size: 20, run: run.run },
      { bucket: 'articles', key: 'c.txt', eTag: '"3"', size: 30, run: run.run },
      { bucket: 'articles', key: 'd.txt', run: run.run },
    ]);
    expect(run.listed).toBe(4);
  });

  it('tallies each object once by what its outcome says, and finishes when all are settled', async () => {
    const { runner, sent } = setup({
      'a.txt': { status: 'ingested', at: NEW },
      'b.txt': { status: 'ingested', at: OLD },
      'c.txt': { status: 'rejected', reason: 'empty', at: OLD },
    });
    const run = runner.start('');
    await until(() => !run.listing);
    const [a, b, c, d] = sent;
    // a.txt is delivered twice (its first invocation outlived the visibility timeout): counted once.
    await runner.settled([a ?? '', b ?? '', a ?? '']);
    expect(run.finished).toBe(false);
    await runner.settled([c ?? '', '{"Records":[]}']);
    runner.deadLettered(d ?? '');
    expect(run).toMatchObject({ restored: 1, unchanged: 1, rejected: 1, failed: 1, finished: true });
  });

  it('ignores messages of another run, and returns the run under way instead of starting a second', async () => {
    const { runner, sent } = setup({ 'a.txt': { status: 'ingested', at: NEW } });
    const run = runner.start('');
    expect(runner.start('other/')).toBe(run);
    await until(() => !run.listing);
    const foreign = (sent[0] ?? '').replace(run.run, 'local-other');
    await runner.settled([foreign]);
    expect(run.restored).toBe(0);
  });
});
