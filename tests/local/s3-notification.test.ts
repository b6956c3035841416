import { describe, expect, it } from 'vitest';
import { buildS3NotificationRecord, encodeS3EventKey } from '../../infra/local/s3-notification';
import { makeSequencer } from '../../infra/local/sequencer';

/** How a consumer (the ingest handler) reads a key out of a notification. */
const decodeKey = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

describe('encodeS3EventKey (keys as real S3 writes them into notifications)', () => {
  it.each([
    ['plain/key-1_a.txt', 'plain/key-1_a.txt'],
    ['my file.txt', 'my+file.txt'],
    ['a+b.txt', 'a%2Bb.txt'],
    ['news/2024 (draft) #1.txt', 'news/2024+%28draft%29+%231.txt'],
    ['café/naïve.txt', 'caf%C3%A9/na%C3%AFve.txt'],
    ['a=b&c:d,e@f', 'a%3Db%26c%3Ad%2Ce%40f'],
    ['emoji-😀', 'emoji-%F0%9F%98%80'],
  ])('%s -> %s', (key, encoded) => {
    expect(encodeS3EventKey(key)).toBe(encoded);
    expect(decodeKey(encoded)).toBe(key);
  });

  it('round-trips through the consumer decoding for awkward keys', () => {
    for (const key of ['100% sure +1 / ok', 'tab\there', "~tilde!*'()", 'a%2Bb literal']) {
      expect(decodeKey(encodeS3EventKey(key))).toBe(key);
    }
  });
});

describe('buildS3NotificationRecord', () => {
  it('builds an event version 2.1 record with encoded key, size, eTag and bucket arn', () => {
    const record = buildS3NotificationRecord({
      bucket: 'articles',
      key: 'a b+c.txt',
      eventName: 'ObjectCreated:Put',
      sequencer: '0000000000000001',
      size: 12,
      eTag: 'abc',
    });
    expect(record).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      s3: {
        s3SchemaVersion: '1.0',
        bucket: { name: 'articles', arn: 'arn:aws:s3:::articles' },
        object: { key: 'a+b%2Bc.txt', size: 12, eTag: 'abc', sequencer: '0000000000000001' },
      },
    });
    expect(new Date(record.eventTime).toISOString()).toBe(record.eventTime);
  });

  it('leaves size and eTag out of removals, as S3 does', () => {
    const record = buildS3NotificationRecord({
      bucket: 'b',
      key: 'k',
      eventName: 'ObjectRemoved:Delete',
      sequencer: '01',
      size: 5,
      eTag: 'x',
    });
    expect(record.s3.object).toEqual({ key: 'k', sequencer: '01' });
  });
});

describe('makeSequencer', () => {
  it('increases strictly within one millisecond and as the clock moves', () => {
    let now = 1_700_000_000_000;
    const next = makeSequencer(() => now);
    const values = [next(), next(), next()];
    now += 1;
    values.push(next());
    expect([...values].sort()).toEqual(values);
    expect(new Set(values).size).toBe(values.length);
    expect(values.every((v) => /^[0-9A-F]{16}$/.test(v))).toBe(true);
  });

  it('keeps increasing across a restart (a new sequencer later in time)', () => {
    const first = makeSequencer(() => 1_700_000_000_000);
    let last = '';
    for (let i = 0; i < 1000; i++) last = first();
    const restarted = makeSequencer(() => 1_700_000_000_001);
    expect(restarted() > last).toBe(true);
  });

  it('does not go backwards when the clock does', () => {
    let now = 1_700_000_000_500;
    const next = makeSequencer(() => now);
    const before = next();
    now -= 400;
    expect(next() > before).toBe(true);
  });
});
