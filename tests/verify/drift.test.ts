import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Article, isRejection } from '../../functions/core/article';
import { derive } from '../../functions/store/derive';
import { encodeKeyList } from '../../functions/store/key-lists';
import { keys } from '../../functions/store/keys';
import { prepareRecord } from '../../functions/store/record';
import { padSequencer } from '../../functions/store/sequencer';
import {
  type DriftKind,
  type Finding,
  findDrift,
  judgeArticles,
  judgeCounts,
  judgeMonths,
  type ListedObject,
  type LoadedArticle,
  type Snapshot,
  summarise,
} from '../../functions/verify/drift';
import { articleDir, countDir, itemRoutes, MONTHS_DIR, objectRoute } from '../../functions/verify/run';
import { articleText, standInNormalise } from '../support/stand-in-core';

/** Each kind of drift made by hand on a snapshot that is otherwise exactly right. */
const NOW = Date.parse('2026-12-07T12:00:00.000Z');
const OLD = '2026-12-07T10:00:00.000Z';
const article = (key: string, people: string[]): Article => {
  const result = standInNormalise(
    Buffer.from(articleText({ headline: key, date: '2024-11-13', people, keywords: ['news'] })),
    key,
  );
  if (isRejection(result)) throw new Error(result.detail);
  return { ...result, source: { ...result.source, eTag: `etag-${key}` } };
};

/** A correct table and bucket for these articles: records, APPLIED, derived items, months, counts, objects. */
const healthy = (articles: Article[]) => {
  const items: Array<Record<string, unknown>> = [];
  const counts = new Map<string, Record<string, unknown>>();
  for (const a of articles) {
    const { item } = prepareRecord(
      {
        key: a.source.key,
        sequencer: padSequencer('0062E9A1B2'),
        parserVersion: a.parserVersion,
        change: { kind: 'ingested', article: a },
        sourceETag: `etag-${a.source.key}`,
      },
      a.id,
      OLD,
    );
    items.push({ ...item });
    const { entries, month } = derive(a);
    items.push({
      ...keys.applied(a.id),
      rev: item.rev,
      derivedFrom: 'x',
      keys: encodeKeyList([...entries.keys()]),
      indexedAt: OLD,
    });
    for (const e of entries.values()) {
      items.push({ ...e });
      if (e.pk.startsWith('ENT#')) {
        const k = keys.entityCatalogue(e.type as 'person', String(e.name));
        const c = counts.get(`${k.pk}|${k.sk}`) ?? { ...k, type: e.type, name: e.name, articleCount: 0 };
        c.articleCount = Number(c.articleCount) + 1;
        counts.set(`${k.pk}|${k.sk}`, c);
      }
    }
    if (month && !items.some((i) => i.pk === 'MONTH' && i.sk === month)) items.push(keys.month(month));
  }
  items.push(...counts.values());
  const objects: ListedObject[] = articles.map((a) => ({
    key: a.source.key,
    eTag: `"etag-${a.source.key}"`,
    lastModified: Date.parse(OLD),
  }));
  return {
    items,
    objects,
    bodies: [] as ListedObject[],
    articles: new Map<string, LoadedArticle>(articles.map((a) => [a.id, a])),
  };
};

const kinds = (snapshot: Snapshot) => {
  const summary = summarise(findDrift(snapshot, { now: NOW, inFlightMs: 60_000, bodyMinAgeMs: 3_600_000 }));
  return Object.fromEntries(
    Object.entries(summary)
      .filter(([, k]) => k.count > 0)
      .map(([k, v]) => [k, v.count]),
  ) as Partial<Record<DriftKind, number>>;
};

const a = article('a.txt', ['Ann Lee', 'Bo Kim']);
const b = article('b.txt', ['Ann Lee']);

describe('drift, kind by kind', () => {
  it('a correct table has none', () => {
    expect(kinds(healthy([a, b]))).toEqual({});
  });

  it('an object with no record, and a record older than its object', () => {
    const s = healthy([a, b]);
    s.items = s.items.filter((i) => !(i.pk === `ART#${b.id}` && i.sk === 'RECORD'));
    s.objects = s.objects.map((o) => (o.key === 'a.txt' ? { ...o, eTag: '"newer"' } : o));
    const found = kinds(s);
    expect(found['object-without-record']).toBe(1);
    expect(found['record-older-than-object']).toBe(1);
  });

  it('a record with no object', () => {
    const s = healthy([a, b]);
    s.objects = s.objects.filter((o) => o.key !== 'b.txt');
    expect(kinds(s)).toEqual({ 'record-without-object': 1 });
  });

  it('derived items missing, made up, different; a record never marked indexed', () => {
    const s = healthy([a, b]);
    const entry = s.items.find((i) => i.pk === 'ENT#person#bo kim');
    s.items = s.items.filter((i) => i !== entry);
    s.items.push({
      pk: 'ENT#person#ann lee',
      sk: '2024-11-13#ffffffffffffffff',
      id: 'ffffffffffffffff',
      contentHash: 'x',
    });
    s.items = s.items.map((i) =>
      i.pk === 'ENT#person#ann lee' && i.id === b.id ? { ...i, mentions: 99 } : i,
    );
    s.items = s.items.map((i) => (i.sk === 'APPLIED' && i.pk === `ART#${b.id}` ? { ...i, rev: 'older' } : i));
    const found = kinds(s);
    expect(found['derived-missing']).toBe(1);
    expect(found['derived-orphan']).toBe(1);
    expect(found['derived-differs']).toBe(1);
  });

  it('counts that differ from their entries, either way', () => {
    const s = healthy([a, b]);
    s.items = s.items.map((i) =>
      String(i.pk).startsWith('ENTCAT#person#a') ? { ...i, articleCount: 5 } : i,
    );
    s.items.push({
      ...keys.entityCatalogue('person', 'Nobody Here'),
      type: 'person',
      name: 'Nobody Here',
      articleCount: 3,
    });
    expect(kinds(s)).toEqual({ 'count-differs': 2 });
  });

  it('bodies: an old one nothing points at is swept, a young one may be in flight, a foreign name goes at once', () => {
    const s = healthy([a]);
    const body = (key: string, lastModified: number) => ({ key, eTag: '"x"', lastModified });
    const wellFormed = `bodies/${a.id}/${'0'.repeat(64)}.json.gz`;
    s.bodies = [
      body(wellFormed, Date.parse(OLD)),
      body(`bodies/${b.id}/${'1'.repeat(64)}.json.gz`, NOW - 1_000),
      body('orphan.txt', NOW - 1_000),
    ];
    expect(kinds(s)).toEqual({ 'body-orphan': 2 });
  });

  it('a record pointing at a body the bucket lacks', () => {
    const s = healthy([a]);
    s.items = s.items.map((i) =>
      i.sk === 'RECORD' ? { ...i, body: undefined, bodyKey: `bodies/${a.id}/${'2'.repeat(64)}.json.gz` } : i,
    );
    s.articles = new Map([[a.id, 'missing-body']]);
    expect(kinds(s)).toEqual({ 'body-missing': 1 });
  });

  it('records and objects written within the in-flight window are not judged', () => {
    const s = healthy([a, b]);
    s.items = s.items.filter((i) => !(i.pk === `ART#${b.id}` && i.sk === 'RECORD'));
    s.objects = s.objects.map((o) => (o.key === 'b.txt' ? { ...o, lastModified: NOW - 5_000 } : o));
    expect(kinds(s)['object-without-record']).toBeUndefined();
  });
});

describe('the judgement in parts (the AWS run) is the judgement whole', () => {
  const people = ['Ann Lee', 'Bo Kim', 'Cy Dunn', 'Di Moss', 'Ed Park'];
  const pool = Array.from({ length: 6 }, (_, i) =>
    article(
      `k${i}.txt`,
      people.filter((_, j) => (i + j) % 3 !== 0),
    ),
  );
  const damage = fc.record({
    dropItems: fc.array(fc.nat(), { maxLength: 8 }),
    copyItems: fc.array(fc.nat(), { maxLength: 3 }),
    changeCounts: fc.array(fc.nat(), { maxLength: 3 }),
    dropRecords: fc.array(fc.nat(), { maxLength: 2 }),
    dropObjects: fc.array(fc.nat(), { maxLength: 2 }),
    orphanBodies: fc.nat({ max: 2 }),
    dropMonth: fc.boolean(),
  });
  const byKey = (findings: Finding[]) => findings.map((f) => JSON.stringify(f)).sort();

  it('finds exactly the same findings for any damage and any number of partitions', () => {
    fc.assert(
      fc.property(
        damage,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        (d, partitions, countPartitions) => {
          const s = healthy(pool);
          const at = <T>(list: T[], n: number) => list[n % list.length] as T;
          const derived = s.items.filter((i) => /^(DATE|ENT|ALIAS|TERM)#/.test(String(i.pk)));
          const counters = s.items.filter((i) => String(i.pk).startsWith('ENTCAT#'));
          const records = s.items.filter((i) => i.sk === 'RECORD');
          const drop = new Set([
            ...d.dropItems.map((n) => at(derived, n)),
            ...d.dropRecords.map((n) => at(records, n)),
            ...(d.dropMonth ? s.items.filter((i) => i.pk === 'MONTH') : []),
          ]);
          s.items = s.items.filter((i) => !drop.has(i));
          for (const n of d.copyItems) {
            const item = at(derived, n);
            s.items.push({ ...item, sk: `${String(item.sk)}c${n}`, id: `c${n}` });
          }
          s.items = s.items.map((i) =>
            d.changeCounts.some((n) => at(counters, n) === i) ? { ...i, articleCount: 99 } : i,
          );
          const gone = new Set(d.dropObjects.map((n) => at(s.objects, n).key));
          s.objects = s.objects.filter((o) => !gone.has(o.key));
          s.bodies = Array.from({ length: d.orphanBodies }, (_, i) => ({
            key: i === 0 ? 'stray.bin' : `bodies/${pool[i]?.id}/${'3'.repeat(64)}.json.gz`,
            eTag: '"x"',
            lastModified: Date.parse(OLD) - 7_200_000,
          }));
          const options = { now: NOW, inFlightMs: 60_000, bodyMinAgeMs: 3_600_000 };
          const whole = findDrift(s, options);

          // The partitioned snapshot, routed as the collectors route it, judged part by part.
          const sizes = { partitions, countPartitions };
          const dirs = new Map<string, Snapshot>();
          const part = (dir: string) => {
            const got = dirs.get(dir) ?? { items: [], objects: [], bodies: [], articles: new Map() };
            dirs.set(dir, got);
            return got as {
              items: Array<Record<string, unknown>>;
              objects: ListedObject[];
              bodies: ListedObject[];
              articles: Map<string, LoadedArticle>;
            };
          };
          for (const item of s.items)
            for (const { dir, value } of itemRoutes(item, sizes)) {
              const p = part(dir);
              p.items.push(value);
              if (value.sk === 'RECORD') {
                const id = String(value.pk).slice(4);
                const loaded = s.articles.get(id);
                if (loaded) p.articles.set(id, loaded);
              }
            }
          for (const o of s.objects) part(objectRoute('objects', o, sizes)).objects.push(o);
          for (const o of s.bodies) part(objectRoute('bodies', o, sizes)).bodies.push(o);
          const inParts: Finding[] = [];
          const needed = new Set<string>();
          for (let i = 0; i < countPartitions; i++) inParts.push(...judgeCounts(part(countDir(i)).items));
          for (let i = 0; i < partitions; i++) {
            const judged = judgeArticles(part(articleDir(i)), options);
            inParts.push(...judged.findings);
            for (const m of judged.monthsNeeded) needed.add(m);
          }
          inParts.push(...judgeMonths(needed, new Set(part(MONTHS_DIR).items.map((i) => String(i.sk)))));
          expect(byKey(inParts)).toEqual(byKey(whole));
        },
      ),
      { numRuns: 60 },
    );
  });
});
