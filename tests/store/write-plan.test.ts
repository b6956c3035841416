import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Article, articleIdForKey, isRejection } from '../../functions/core/article';
import { ItemTooLargeError } from '../../functions/store/errors';
import { decodeKeyList } from '../../functions/store/key-lists';
import { TERM_CAP, termsOf } from '../../functions/store/terms';
import { SequencerSchema } from '../../functions/store/upload-outcome';
import {
  type CurrentState,
  planWrite,
  prepareArticle,
  type WriteRequest,
} from '../../functions/store/write-plan';
import { articleText, standInNormalise } from '../support/stand-in-core';

const AT = '2026-01-01T00:00:00.000Z';
const KEY = 'k.txt';
const ID = articleIdForKey(KEY);
const seq = (raw: string) => SequencerSchema.parse(raw);
const article = (input: Parameters<typeof articleText>[0]): Article => {
  const result = standInNormalise(Buffer.from(articleText(input)), KEY);
  if (isRejection(result)) throw new Error(result.detail);
  return result;
};
const ingest = (s: string, a: Article): WriteRequest => ({
  key: KEY,
  sequencer: seq(s),
  change: { kind: 'ingested', article: a },
});
const keysOf = (a: Article) => [...prepareArticle(a).entries.keys()];
const stored = (
  s: string,
  a: Article | null,
  extra: Partial<NonNullable<CurrentState['upload']>> = {},
): CurrentState => ({
  article: a ? { contentHash: a.contentHash, parserVersion: a.parserVersion, rev: seq(s) } : null,
  upload: {
    sequencer: seq(s),
    rev: seq(s),
    status: a ? ('ingested' as const) : ('deleted' as const),
    keys: a ? keysOf(a) : [],
    stale: [],
    ...extra,
  },
});
const EMPTY: CurrentState = { article: null, upload: null };
const plan = (request: WriteRequest, current: CurrentState) => {
  const prepared = request.change.kind === 'ingested' ? prepareArticle(request.change.article) : null;
  return planWrite(ID, request, current, AT, prepared);
};

const v1 = article({
  headline: 'One',
  date: '2024-01-01',
  people: ['Ann Lee', 'Bo Kim'],
  keywords: ['rates'],
});
const v2 = article({
  headline: 'Two',
  date: '2024-01-02',
  people: ['Ann Lee', 'Cy Ng'],
  keywords: ['rates'],
});

describe('planWrite', () => {
  it('a new key: writes everything, conditional on no outcome existing yet, the outcome listing its entries', () => {
    const p = plan(ingest('01', v1), EMPTY);
    expect(p).toMatchObject({
      kind: 'write',
      expected: null,
      deletes: [],
      resume: false,
      removeArticle: false,
    });
    if (p.kind !== 'write') throw new Error(`expected a write, got ${p.kind}`);
    // Nothing shared between articles: catalogue counts follow from the stream, not from this plan.
    expect(p.puts.every((e) => e.pk.startsWith('DATE') || /^(ENT|ALIAS|TERM)#/.test(e.pk))).toBe(true);
    expect(p.upload).toMatchObject({ rev: seq('01'), pending: true });
    expect(p.article?.rev).toBe(seq('01'));
    expect(decodeKeyList(p.upload.keys)).toEqual(keysOf(v1));
    expect(p.upload.stale).toBeUndefined();
  });

  it('skips an older event as stale and the same event as duplicate', () => {
    expect(plan(ingest('01', v1), stored('02', v1))).toEqual({ kind: 'skip', why: 'stale' });
    expect(plan(ingest('02', v1), stored('02', v1))).toEqual({ kind: 'skip', why: 'duplicate' });
  });

  it('an unchanged re-upload only rewrites the outcome, which keeps listing the stored entries', () => {
    const p = plan(ingest('03', v1), stored('02', v1));
    expect(p).toMatchObject({ kind: 'upload-only', why: 'unchanged', expected: seq('02') });
    if (p.kind !== 'upload-only') throw new Error(`expected an outcome write, got ${p.kind}`);
    expect(p.upload.pending).toBeUndefined();
    expect(decodeKeyList(p.upload.keys)).toEqual(keysOf(v1));
  });

  it('a changed article deletes the stale entries', () => {
    const p = plan(ingest('03', v2), stored('02', v1));
    if (p.kind !== 'write') throw new Error(`expected a write, got ${p.kind}`);
    const deleted = p.deletes.map((k) => `${k.pk}|${k.sk}`);
    // The date moved, so Ann Lee's entry key changed: removed and re-added, but her count is untouched.
    expect(deleted).toEqual(
      expect.arrayContaining([`ENT#person#ann lee|2024-01-01#${ID}`, `ENT#person#bo kim|2024-01-01#${ID}`]),
    );
    expect(p.puts.map((e) => e.pk)).toEqual(
      expect.arrayContaining(['ENT#person#ann lee', 'ENT#person#cy ng']),
    );
    // The outcome records what is still to remove, so whoever takes over from this write knows.
    expect(decodeKeyList(p.upload.stale).sort()).toEqual(p.deletes.map((k) => `${k.pk}\u0000${k.sk}`).sort());
  });

  it('an event overtaking a pending write takes over its entries and what it still had to remove', () => {
    const leftover = `ENT#person#old name\u00002023-01-01#${ID}`;
    const p = plan(ingest('03', v2), stored('02', v1, { pending: true, stale: [leftover] }));
    if (p.kind !== 'write') throw new Error(`expected a write, got ${p.kind}`);
    const removed = p.deletes.map((k) => `${k.pk}\u0000${k.sk}`);
    expect(removed).toContain(leftover);
    expect(removed).toContain(`ENT#person#bo kim\u00002024-01-01#${ID}`);
    expect(removed.some((k) => keysOf(v2).includes(k))).toBe(false);
  });

  it('a reprocess writes a revision above its basis and below any later sequencer', () => {
    const request: WriteRequest = { ...ingest('02', v2), reprocess: true };
    const p = plan(request, stored('02', v1));
    if (p.kind !== 'write') throw new Error(`expected a write, got ${p.kind}`);
    expect(p.upload.sequencer).toBe(seq('02'));
    expect(p.upload.rev > seq('02')).toBe(true);
    expect(p.upload.rev < seq('03')).toBe(true);
  });

  it('a delete of a stored article removes every entry it owns; with nothing stored only the outcome', () => {
    const del: WriteRequest = { key: KEY, sequencer: seq('05'), change: { kind: 'deleted' } };
    const p = plan(del, stored('02', v1));
    expect(p).toMatchObject({ kind: 'write', article: null, removeArticle: true });
    if (p.kind === 'write') expect(p.deletes).toHaveLength(prepareArticle(v1).entries.size);
    expect(plan(del, EMPTY)).toMatchObject({ kind: 'upload-only', why: 'nothing-stored' });
  });

  it('the same event finding its own write pending resumes it: only the entries its outcome lists', () => {
    const leftover = `ENT#person#old name\u00002023-01-01#${ID}`;
    const p = plan(ingest('02', v1), stored('02', v1, { pending: true, stale: [leftover] }));
    expect(p).toMatchObject({ kind: 'write', resume: true, deletes: [{ pk: 'ENT#person#old name' }] });
    if (p.kind !== 'write') return;
    expect(p.puts).toHaveLength(keysOf(v1).length);
    // The object changed since (its own event follows): the resume still only writes what the outcome listed.
    const changed = plan(ingest('02', v2), stored('02', v1, { pending: true }));
    if (changed.kind !== 'write') throw new Error(`expected a write, got ${changed.kind}`);
    const listed = new Set(keysOf(v1));
    expect(changed.puts.every((e) => listed.has(`${e.pk}\u0000${e.sk}`))).toBe(true);
  });
});

describe('prepareArticle', () => {
  it('refuses an article whose entry keys alone would not fit its outcome item', () => {
    const people = Array.from({ length: 2_500 }, (_, i) => ({ name: `Person${i} Surname${i}`, mentions: 1 }));
    expect(() => prepareArticle({ ...v1, people })).toThrow(ItemTooLargeError);
    expect(() => prepareArticle({ ...v1, people: people.slice(0, 200) })).not.toThrow();
  });

  it('refuses an article item over 400 KB without a body bucket, though the body alone fits', () => {
    // Hex noise compresses to about 0.55: 680 KB of it is a ~375 KB body, under MAX_BODY_BYTES (380 KB); the
    // headline, kept readable beside it, takes the item over 400 KB.
    const noise = randomBytes(340_000).toString('hex');
    const headline = 'h'.repeat(45_000);
    expect(() => prepareArticle({ ...v1, headline, paragraphs: [noise] })).toThrow(ItemTooLargeError);
    expect(() => prepareArticle({ ...v1, paragraphs: [noise] })).not.toThrow();
  });
});

describe('search terms', () => {
  it(`keeps the ${TERM_CAP} heaviest terms, deterministically`, () => {
    const many = article({
      headline: 'Many',
      keywords: Array.from({ length: 40 }, (_, i) => `keyword${String(i).padStart(2, '0')}`),
      people: ['Zed Alpha'],
    });
    const terms = termsOf(many);
    expect(terms).toHaveLength(TERM_CAP);
    expect(terms).toEqual(termsOf(many));
    expect(terms[0]).toEqual({ term: 'keyword00', weight: 3 });
  });
});
