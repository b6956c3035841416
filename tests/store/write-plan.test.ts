import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Article, articleIdForKey, isRejection } from '../../functions/core/article';
import { ItemTooLargeError } from '../../functions/store/errors';
import { SequencerSchema } from '../../functions/store/upload-outcome';
import {
  type CurrentState,
  planWrite,
  prepareArticle,
  type WriteRequest,
} from '../../functions/store/write-plan';
import { TERM_CAP, termsOf } from '../../functions/store/write-terms';
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
const stored = (s: string, a: Article | null, extra: Partial<NonNullable<CurrentState['upload']>> = {}) => ({
  article: a
    ? {
        indexKeys: [...prepareArticle(a).entries.keys()],
        contentHash: a.contentHash,
        parserVersion: a.parserVersion,
      }
    : null,
  upload: { sequencer: seq(s), status: a ? ('ingested' as const) : ('deleted' as const), ...extra },
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
  it('a new key: writes everything, conditional on no outcome existing yet', () => {
    const p = plan(ingest('01', v1), EMPTY);
    expect(p).toMatchObject({ kind: 'write', expected: null, deletes: [], resume: false });
    if (p.kind !== 'write') return;
    // Nothing shared between articles: catalogue counts follow from the stream, not from this plan.
    expect(p.puts.every((e) => e.pk.startsWith('DATE') || /^(ENT|ALIAS|TERM)#/.test(e.pk))).toBe(true);
  });

  it('skips an older event as stale and the same event as duplicate', () => {
    expect(plan(ingest('01', v1), stored('02', v1))).toEqual({ kind: 'skip', why: 'stale' });
    expect(plan(ingest('02', v1), stored('02', v1))).toEqual({ kind: 'skip', why: 'duplicate' });
  });

  it('an unchanged re-upload only rewrites the outcome', () => {
    const p = plan(ingest('03', v1), stored('02', v1));
    expect(p).toMatchObject({ kind: 'upload-only', why: 'unchanged', expected: seq('02') });
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
  });

  it('a delete of a stored article removes every entry it owns; with nothing stored only the outcome', () => {
    const del: WriteRequest = { key: KEY, sequencer: seq('05'), change: { kind: 'deleted' } };
    const p = plan(del, stored('02', v1));
    expect(p).toMatchObject({ kind: 'write', article: null });
    if (p.kind === 'write') expect(p.deletes).toHaveLength(prepareArticle(v1).entries.size);
    expect(plan(del, EMPTY)).toMatchObject({ kind: 'upload-only', why: 'nothing-stored' });
  });

  it('the same event finding its own write pending resumes the entry writes', () => {
    const p = plan(ingest('02', v1), stored('02', v1, { pending: true }));
    expect(p).toMatchObject({ kind: 'write', resume: true, deletes: [] });
  });
});

describe('prepareArticle', () => {
  it('refuses an article item over 400 KB once its entry keys are counted, though the body alone fits', () => {
    // Hex noise compresses to about half: ~700 KB of it is a ~350 KB body, under MAX_BODY_BYTES (380 KB).
    const noise = randomBytes(350_000).toString('hex');
    const people = Array.from({ length: 600 }, (_, i) => ({ name: `Person${i} Surname${i}`, mentions: 1 }));
    const big: Article = { ...v1, paragraphs: [noise], people };
    expect(() => prepareArticle(big)).toThrow(ItemTooLargeError);
    expect(() => prepareArticle({ ...big, people: [] })).not.toThrow();
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
