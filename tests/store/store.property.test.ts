import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Article, articleIdForKey, isRejection } from '../../functions/core/article';
import {
  countDeltas,
  type StreamRecord,
  StreamRecordSchema,
  spanOf,
} from '../../functions/store/count-deltas';
import { makeCountWriter } from '../../functions/store/count-writer';
import { makeDeriveWriter } from '../../functions/store/derive-writer';
import { makeRecordWriter } from '../../functions/store/record-writer';
import { lambdaClient, lostResponse } from '../support/audit-clients';
import { type LocalServices, startLocalServices } from '../support/local-services';
import { articleText, standInNormalise } from '../support/stand-in-core';
import { deleteRequest, derivedKeysIn, expectedDerivedKeys, ingestRequest } from '../support/store-pipeline';
import { readStream } from '../support/stream-records';

/**
 * The store's promises under what S3, SQS, Lambda and DynamoDB Streams actually do, against DynamoDB Local:
 * - S3: each key's events in any order, at least once; sequencers of mixed lengths (16-20 hex digits), ordered by
 *   the right-pad rule; in a versioned bucket every delivery of an event reads that event's own version;
 * - SQS: a message delivered again, and sometimes twice at the same moment;
 * - Lambda: an ingest killed before its write, or after it with the response lost (the message comes again), a lost
 *   response the SDK retries itself, and clocks that disagree;
 * - the derive consumer: triggers delivered late, twice, out of order, for stale records, and killed mid-batch;
 * - the count consumer: batches killed mid-way and delivered again whole, reordered, or bisected with the halves in
 *   either order.
 * Then the table holds exactly what the newest event of each key derives, the outcome says it is indexed, and every
 * catalogue count equals the entries it counts.
 */
let services: LocalServices;
beforeAll(async () => {
  services = await startLocalServices({ s3: false });
});
afterAll(async () => {
  await services?.stop();
});

const KEYS = ['a.txt', 'b.txt'] as const;
const PEOPLE = ['Ann Lee', 'Bo Kim', 'Cy Ng', 'Di Roe'];
const version = (key: string, n: number): Article => {
  const result = standInNormalise(
    Buffer.from(
      articleText({
        headline: `${key} version ${n}`,
        date: `2024-0${(n % 3) + 1}-1${n % 9}`,
        people: PEOPLE.filter((_, i) => (n >> i) & 1),
        keywords: [`topic${n % 3}`],
      }),
    ),
    key,
  );
  if (isRejection(result)) throw new Error(result.detail);
  return result;
};

type Fault = 'none' | 'kill-before' | 'lost-after' | 'sdk-retry';
const FAULTS: Fault[] = ['none', 'none', 'kill-before', 'lost-after', 'sdk-retry'];

const eventArb = fc
  .record({
    key: fc.constantFrom(...KEYS),
    version: fc.option(fc.integer({ min: 0, max: 15 }), { nil: null }),
    base: fc.integer({ min: 1, max: 0xffffff }),
    extra: fc.integer({ min: 0, max: 4 }),
    suffix: fc.integer({ min: 0, max: 0xffff }),
  })
  .map((e) => ({
    key: e.key,
    version: e.version,
    // 16 to 20 hex digits, as real sequencers are; the order is the right-padded one.
    sequencer:
      e.base.toString(16).toUpperCase().padStart(16, '0') +
      e.suffix.toString(16).padStart(4, '0').slice(0, e.extra),
  }));
type Event = { key: string; version: number | null; sequencer: string };

/** The S3 User Guide's order, written out here rather than taken from the code under test: right-pad, compare. */
const awsOrder = (sequencer: string) => sequencer.toUpperCase().padEnd(32, '0');

const planArb = fc
  .uniqueArray(eventArb, { minLength: 1, maxLength: 6, selector: (e) => awsOrder(e.sequencer) })
  .chain((events) =>
    fc.record({
      events: fc.constant(events),
      // Every event at least once, some twice, in any order.
      deliveries: fc
        .shuffledSubarray([...events.keys(), ...events.keys()], { minLength: events.length })
        .filter((d) => events.every((_, i) => d.includes(i))),
      faults: fc.array(fc.constantFrom(...FAULTS), { minLength: 12, maxLength: 12 }),
      together: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
      skews: fc.array(fc.integer({ min: -5_000, max: 5_000 }), { minLength: 12, maxLength: 12 }),
      deriveEarly: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
      deriveFaultAt: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 4, maxLength: 4 }),
      countPlan: fc.array(
        fc.record({
          size: fc.integer({ min: 1, max: 5 }),
          failAt: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
          failAfter: fc.boolean(),
          retry: fc.constantFrom('whole', 'reordered', 'bisect-forward', 'bisect-backward'),
        }),
        { minLength: 30, maxLength: 30 },
      ),
    }),
  );

/** A client whose `at`-th call of the given command (counted from 0) fails as `fault` says. */
const faultyClient = (fault: Fault, command: string, at = 0): DynamoDBClient => {
  let seen = 0;
  let done = false;
  const hit = (name: string) => {
    if (done || name !== command) return false;
    if (seen++ !== at) return false;
    done = true;
    return true;
  };
  if (fault === 'kill-before')
    return lambdaClient(services.dynamo.endpoint, {
      before: (name) => {
        if (hit(name)) throw new Error('Lambda killed before the call');
      },
    });
  if (fault === 'lost-after' || fault === 'sdk-retry')
    return lambdaClient(services.dynamo.endpoint, {
      after: (name) => {
        if (!hit(name)) return;
        if (fault === 'sdk-retry') throw lostResponse();
        throw new Error('Lambda killed after the call committed');
      },
    });
  return services.dynamo.client;
};

type Plan = {
  events: Event[];
  deliveries: number[];
  faults: Fault[];
  together: boolean[];
  skews: number[];
  deriveEarly: boolean[];
  deriveFaultAt: number[];
  countPlan: Array<{ size: number; failAt: number | null; failAfter: boolean; retry: string }>;
};

const derive = async (table: string, ids: string[], faultAt: number | null) => {
  const client =
    faultAt === null
      ? services.dynamo.client
      : lambdaClient(services.dynamo.endpoint, {
          before: (() => {
            let calls = 0;
            return () => {
              if (calls++ === faultAt) throw new Error('derive consumer killed');
            };
          })(),
        });
  await makeDeriveWriter({ client, tableName: table })
    .apply(ids)
    .catch(() => 'failed');
};

const countBatch = async (
  table: string,
  shard: string,
  records: StreamRecord[],
  step: Plan['countPlan'][number],
): Promise<void> => {
  const apply = async (batch: StreamRecord[], failAt: number | null) => {
    const span = spanOf(batch);
    if (!span) return;
    const client =
      failAt === null
        ? services.dynamo.client
        : faultyClient(step.failAfter ? 'lost-after' : 'kill-before', 'UpdateItemCommand', failAt);
    await makeCountWriter({ client, tableName: table, concurrency: 1 }).apply(
      shard,
      span,
      countDeltas(batch),
    );
  };
  const failed = await apply(records, step.failAt).then(
    () => false,
    () => true,
  );
  if (!failed) return;
  if (step.retry === 'whole') return apply(records, null);
  if (step.retry === 'reordered') return apply([...records].reverse(), null);
  const half = Math.ceil(records.length / 2);
  const halves = [records.slice(0, half), records.slice(half)];
  if (step.retry === 'bisect-backward') halves.reverse();
  for (const h of halves) await apply(h, null);
  // Lambda then delivers the whole batch's later records in order again only if a half failed; none does here.
};

describe('the store under the platform (property, DynamoDB Local)', () => {
  it('ends with exactly the newest event of each key derived, indexed, and counted once', async () => {
    await fc.assert(
      fc.asyncProperty(planArb, async (plan) => {
        const table = await services.newTable();
        const { events } = plan;
        const queue = plan.deliveries.map((index, n) => ({
          index,
          fault: plan.faults[n % 12] ?? 'none',
          tries: 0,
        }));
        let step = 0;
        while (queue.length > 0) {
          const batch = queue.splice(0, plan.together[step % 12] && queue.length > 1 ? 2 : 1);
          await Promise.all(
            batch.map(async (delivery) => {
              const event = events[delivery.index] as Event;
              const fault: Fault = delivery.tries >= 2 ? 'none' : delivery.fault;
              const skew = plan.skews[(step + delivery.index) % 12] ?? 0;
              const writer = makeRecordWriter({
                client: faultyClient(fault, 'PutItemCommand'),
                tableName: table,
                now: () => new Date(Date.now() + skew),
              });
              const request =
                event.version === null
                  ? deleteRequest(event.key, event.sequencer, 'test')
                  : ingestRequest(version(event.key, event.version), event.sequencer);
              try {
                if ((await writer.check(event.key, event.sequencer)) === 'apply') await writer.write(request);
              } catch {
                // The message was not acknowledged: SQS delivers it again later.
                queue.push({ ...delivery, tries: delivery.tries + 1 });
              }
            }),
          );
          if (plan.deriveEarly[step % 12]) {
            const ids = KEYS.map(articleIdForKey).filter((_, i) => (step + i) % 2 === 0);
            await derive(table, ids, plan.deriveFaultAt[step % 4] ?? null);
          }
          step += 1;
        }
        // The stream delivers every record's trigger at least once after its write: out of order, then cleanly.
        await derive(table, KEYS.map(articleIdForKey).reverse(), plan.deriveFaultAt[0] ?? null);
        await derive(table, KEYS.map(articleIdForKey), null);

        // Counting: every entity entry created or removed, in stream order, in batches that fail and come again.
        for (const [shard, all] of await readStream(
          services.dynamo.client,
          services.dynamo.endpoint,
          table,
        )) {
          const records = all.flatMap((r) => {
            const parsed = StreamRecordSchema.safeParse(r);
            return parsed.success &&
              parsed.data.dynamodb.Keys.pk.S.startsWith('ENT#') &&
              parsed.data.eventName !== 'MODIFY'
              ? [parsed.data]
              : [];
          });
          let at = 0;
          for (const [n, s] of plan.countPlan.entries()) {
            if (at >= records.length) break;
            const size = n === plan.countPlan.length - 1 ? records.length - at : s.size;
            await countBatch(table, shard, records.slice(at, at + size), s);
            at += size;
          }
        }

        const items = await services.scanAll(table);
        const newest = new Map<string, Event>();
        for (const e of events) {
          const seen = newest.get(e.key);
          if (!seen || awsOrder(e.sequencer) > awsOrder(seen.sequencer)) newest.set(e.key, e);
        }
        const articles = [...newest.values()].flatMap((e) =>
          e.version === null ? [] : [version(e.key, e.version)],
        );
        expect(derivedKeysIn(items)).toEqual(expectedDerivedKeys(articles));
        for (const [key, e] of newest) {
          const id = articleIdForKey(key);
          const record = items.find((i) => i.pk === `ART#${id}` && i.sk === 'RECORD');
          const applied = items.find((i) => i.pk === `ART#${id}` && i.sk === 'APPLIED');
          expect(record).toMatchObject({
            status: e.version === null ? 'deleted' : 'ingested',
            sequencer: awsOrder(e.sequencer),
            ...(e.version === null ? {} : { headline: `${key} version ${e.version}` }),
          });
          expect(applied).toMatchObject({ rev: record?.rev, indexedAt: expect.any(String) });
        }
        const entries = new Map<string, number>();
        for (const i of items)
          if (String(i.pk).startsWith('ENT#'))
            entries.set(String(i.pk), (entries.get(String(i.pk)) ?? 0) + 1);
        const counted = new Map<string, number>();
        for (const i of items)
          if (String(i.pk).startsWith('ENTCAT#') && Number(i.articleCount) !== 0)
            counted.set(`ENT#${String(i.pk).split('#')[1]}#${String(i.sk)}`, Number(i.articleCount));
        expect(Object.fromEntries([...counted].sort())).toEqual(Object.fromEntries([...entries].sort()));
      }),
      { numRuns: 40 },
    );
  }, 300_000);
});
