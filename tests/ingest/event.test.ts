import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeS3Key, parseBody } from '../../functions/ingest/event';
import { SEQUENCER_WIDTH } from '../../functions/store/sequencer';
import { fixtureBody, loadEventFixture } from '../support/fixtures';

const firstBody = (name: string) => loadEventFixture(name).Records[0]?.body ?? '';
const EditableSchema = z.looseObject({
  Records: z.array(
    z.looseObject({
      eventName: z.string(),
      s3: z.looseObject({
        bucket: z.unknown().optional(),
        object: z.looseObject({ key: z.string(), sequencer: z.string().optional() }),
      }),
    }),
  ),
});
type EditableRecord = z.infer<typeof EditableSchema>['Records'][number];

/** A copy of a fixture's notification with its first S3 record edited (the negative cases). */
const edited = (edit: (record: EditableRecord) => void) => {
  const body = EditableSchema.parse(structuredClone(fixtureBody('sqs-s3-object-created.json')));
  const record = body.Records[0];
  if (!record) throw new Error('fixture has no record');
  edit(record);
  return JSON.stringify(body);
};

describe('S3 key decoding', () => {
  it.each([
    ['a+b.txt', 'a b.txt'],
    ['a%2Bb.txt', 'a+b.txt'],
    ['caf%C3%A9+%E2%80%94+1.txt', 'café — 1.txt'],
    ['100%25.txt', '100%.txt'],
    ['dir/sub/plain.txt', 'dir/sub/plain.txt'],
  ])('%s -> %s', (raw, decoded) => {
    expect(decodeS3Key(raw)).toBe(decoded);
  });

  it('returns null for a key that is not valid percent-encoding', () => {
    expect(decodeS3Key('bad%ZZ.txt')).toBeNull();
  });
});

describe('notification parsing', () => {
  it('reads a recorded ObjectCreated notification: decoded key, padded sequencer, size', () => {
    const parsed = parseBody(firstBody('sqs-s3-object-created.json'));
    expect(parsed).toMatchObject({
      kind: 'events',
      events: [
        {
          action: 'create',
          bucket: 'news-articles-123456789012',
          key: 'world/Shoigu meets Wang — talks+pact 100%.txt',
          sequencer: '0069204C8E7B1A2F3C'.padEnd(SEQUENCER_WIDTH, '0'),
          size: 3412,
        },
      ],
    });
  });

  it('reads an ObjectRemoved notification as a removal', () => {
    expect(parseBody(firstBody('sqs-s3-object-removed.json'))).toMatchObject({
      kind: 'events',
      events: [{ action: 'remove' }],
    });
  });

  it('recognises the s3:TestEvent', () => {
    expect(parseBody(firstBody('sqs-s3-test-event.json'))).toEqual({ kind: 'test' });
  });

  it('treats lifecycle expiry as removal and ignores event types it does not handle', () => {
    const expiry = parseBody(edited((r) => (r.eventName = 'LifecycleExpiration:Delete')));
    expect(expiry).toMatchObject({ kind: 'events', events: [{ action: 'remove' }] });
    const restore = parseBody(edited((r) => (r.eventName = 'ObjectRestore:Completed')));
    expect(restore).toMatchObject({ kind: 'events', events: [], ignored: ['ObjectRestore:Completed'] });
  });

  it('D3: orders sequencers of different lengths as AWS documents: right-padded with zeros, upper case', () => {
    const seq = (s: string) => {
      const parsed = parseBody(edited((r) => (r.s3.object.sequencer = s)));
      return parsed.kind === 'events' ? parsed.events[0]?.sequencer : undefined;
    };
    // 0062E9A1B2 -> 0062E9A1B200... is newer than 0062E9A1B1FF (left-padding would say the opposite).
    expect(String(seq('0062E9A1B1FF')) < String(seq('0062E9A1B2'))).toBe(true);
    expect(String(seq('0062E9A1B2'))).toBe('0062E9A1B2'.padEnd(SEQUENCER_WIDTH, '0'));
    // Same width: ordered as the hex numbers they are.
    expect(String(seq('0062E9A1B1FF0000')) < String(seq('0062E9A1B2000001'))).toBe(true);
    expect(seq('0a')).toBe(seq('0A'));
  });

  it.each([
    ['no sequencer', (r: EditableRecord) => delete r.s3.object.sequencer, false],
    ['a sequencer that is not hex', (r: EditableRecord) => (r.s3.object.sequencer = 'xyz'), false],
    ['no bucket', (r: EditableRecord) => delete r.s3.bucket, true],
    ['a key that is not percent-encoding', (r: EditableRecord) => (r.s3.object.key = 'a%ZZ'), true],
  ])('marks a notification with %s as malformed (key recoverable: %s)', (_, edit, recoverable) => {
    const parsed = parseBody(edited(edit));
    expect(parsed.kind).toBe('malformed');
    if (parsed.kind === 'malformed') expect(parsed.recoverable.length > 0).toBe(recoverable);
  });

  it('marks a body that is not JSON as malformed', () => {
    expect(parseBody('<xml/>')).toMatchObject({ kind: 'malformed', recoverable: [] });
  });

  it('keeps a key that is not percent-encoding as sent, so its outcome can still be recorded', () => {
    const parsed = parseBody(edited((r) => (r.s3.object.key = 'a%ZZ')));
    expect(parsed).toMatchObject({ kind: 'malformed', recoverable: [{ key: 'a%ZZ' }] });
  });
});
