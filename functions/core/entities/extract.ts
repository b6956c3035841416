import type { Entity } from '../article';
import { DEMONYMS, FIRST_NAMES, ORGANIZATIONS, PLACES } from '../lexicon';
import { type Candidate, findCandidates } from './candidates';
import { classify, type EntityType, genderOfFirstName, type Vote } from './classify';
import { tokenize } from './tokenize';

export type EntityRecord = {
  name: string;
  type: EntityType;
  gender: 'male' | 'female' | null;
  mentions: number;
  /** Order of first mention, for stable output. */
  order: number;
};

export type Mention = { entity: EntityRecord; paragraph: number; start: number; end: number };

export type Entities = {
  people: Entity[];
  places: Entity[];
  organizations: Entity[];
  /** Every resolved mention in reading order (paragraph -1 is the headline). */
  mentions: Mention[];
  /** Resolves a name as written ("Shoigu", "he" excluded) to its entity. */
  resolve: (surface: string) => EntityRecord | null;
};

type Group = { lower: string; surfaces: Map<string, number>; votes: Vote[]; occurrences: Candidate[] };

const keepWhole = (lower: string): boolean => ORGANIZATIONS.has(lower) || PLACES.has(lower);

const weightOf = (votes: Vote[], type: EntityType): number =>
  votes.reduce((sum, vote) => (vote.type === type ? sum + vote.weight : sum), 0);

/** The reading with the most evidence, or null when there is too little to say. */
const decide = (group: Group): EntityType | null => {
  const scored = (['organization', 'place', 'person'] as const)
    .map((type) => ({ type, weight: weightOf(group.votes, type) }))
    .sort((a, b) => b.weight - a.weight);
  const best = scored[0];
  if (!best || best.weight === 0) return null;
  const single = group.lower.indexOf(' ') < 0;
  const onlySentenceStarts = group.occurrences.every((occurrence) => occurrence.sentenceStart);
  if (onlySentenceStarts && best.weight < 3) return null;
  return best.weight >= (single ? 1 : 1.5) ? best.type : null;
};

/** "China-Russia ties" mentions both countries; "Coca-Cola" stays one word. */
const splitHyphenated = (candidate: Candidate): Candidate[] => {
  const only = candidate.tokens[0];
  if (candidate.tokens.length !== 1 || !only || !only.text.includes('-')) return [candidate];
  const parts = only.text.split('-');
  if (!parts.every((part) => PLACES.has(part.toLowerCase()) || ORGANIZATIONS.has(part.toLowerCase()))) {
    return [candidate];
  }
  let offset = candidate.start;
  return parts.map((part) => {
    const start = offset;
    offset += part.length + 1;
    const token = { ...only, text: part, lower: part.toLowerCase(), start, end: start + part.length };
    return { ...candidate, tokens: [token], text: part, lower: token.lower, start, end: token.end };
  });
};

const collect = (texts: Array<{ paragraph: number; text: string }>): Map<string, Group> => {
  const groups = new Map<string, Group>();
  const add = (candidate: Candidate, votes: Vote[]): void => {
    const group: Group = groups.get(candidate.lower) ?? {
      lower: candidate.lower,
      surfaces: new Map(),
      votes: [],
      occurrences: [],
    };
    group.surfaces.set(candidate.text, (group.surfaces.get(candidate.text) ?? 0) + 1);
    group.votes.push(...votes);
    group.occurrences.push(candidate);
    groups.set(candidate.lower, group);
  };
  for (const { paragraph, text } of texts) {
    const lowerText = text.toLowerCase();
    for (const found of findCandidates(tokenize(text), paragraph, keepWhole)) {
      for (const candidate of splitHyphenated(found)) {
        if (DEMONYMS.has(candidate.lower)) continue;
        const votes = classify(
          candidate,
          lowerText.slice(Math.max(0, candidate.start - 30), candidate.start).trim(),
        );
        if (votes.length === 0 && candidate.tokens.length > 1) {
          // An unknown phrase ("Airshow China") may still contain a known place or organisation.
          for (const token of candidate.tokens) {
            if (!token.capitalised || !keepWhole(token.lower)) continue;
            const part = { ...candidate, tokens: [token], text: token.text, lower: token.lower };
            add({ ...part, start: token.start, end: token.end }, classify(part, ''));
          }
          continue;
        }
        add(candidate, votes);
      }
    }
  }
  dropSentenceStartWords(groups);
  return groups;
};

/**
 * "Late Hargreaves goal..." capitalises "Late" only because it starts the headline. A span whose first word is
 * capitalised only there, and whose remainder is a name found elsewhere, is a mention of that name.
 */
const dropSentenceStartWords = (groups: Map<string, Group>): void => {
  const lastWords = new Set(
    [...groups.keys()].filter((key) => key.includes(' ')).map((key) => key.split(' ').at(-1)),
  );
  for (const group of [...groups.values()]) {
    const words = group.lower.split(' ');
    if (words.length < 2 || FIRST_NAMES.has(words[0] ?? '') || keepWhole(group.lower)) continue;
    if (!group.occurrences.every((occurrence) => occurrence.tokens[0]?.sentenceStart)) continue;
    const rest = words.slice(1).join(' ');
    if (!groups.has(rest) && !lastWords.has(rest)) continue;
    const target: Group = groups.get(rest) ?? {
      lower: rest,
      surfaces: new Map(),
      votes: [],
      occurrences: [],
    };
    for (const occurrence of group.occurrences) {
      const tokens = occurrence.tokens.slice(1);
      const text = tokens.map((token) => token.text).join(' ');
      target.occurrences.push({ ...occurrence, tokens, text, lower: rest, start: tokens[0]?.start ?? 0 });
      target.surfaces.set(text, (target.surfaces.get(text) ?? 0) + 1);
    }
    groups.set(rest, target);
    groups.delete(group.lower);
  }
};

/** A dateline ("NAIROBI") names the place the story was filed from: one mention of that place. */
const addDateline = (groups: Map<string, Group>, dateline: string): void => {
  const name = dateline
    .split(/,/)[0]
    ?.trim()
    .toLowerCase()
    .replace(/(^|[\s-])\p{L}/gu, (letter) => letter.toUpperCase());
  if (!name) return;
  const lower = name.toLowerCase();
  const group: Group = groups.get(lower) ?? { lower, surfaces: new Map(), votes: [], occurrences: [] };
  const token = {
    text: name,
    lower,
    start: 0,
    end: 0,
    capitalised: true,
    sentenceStart: false,
    possessive: false,
    punctAfter: '',
  };
  group.votes.push({ type: 'place', weight: 4 });
  group.occurrences.push({
    tokens: [token],
    text: name,
    lower,
    paragraph: -2,
    start: 0,
    end: 0,
    previous: '',
    next: '',
    titled: false,
    gender: null,
    sentenceStart: false,
    punctAfter: '',
  });
  group.surfaces.set(name, (group.surfaces.get(name) ?? 0) + 1);
  groups.set(lower, group);
};

const canonicalSurface = (group: Group): string =>
  [...group.surfaces.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? group.lower;

export const extractEntities = (
  paragraphs: readonly string[],
  headline: string | null,
  dateline: string | null = null,
): Entities => {
  const texts = paragraphs.map((text, paragraph) => ({ paragraph, text }));
  if (headline) texts.unshift({ paragraph: -1, text: headline });
  const groups = collect(texts);
  if (dateline) addDateline(groups, dateline);

  const records = new Map<string, EntityRecord>();
  let order = 0;
  const decided = new Map<string, EntityType | null>();
  for (const group of groups.values()) decided.set(group.lower, decide(group));

  // Full names first, so that a lone surname can be attached to the person it belongs to.
  const people = [...groups.values()].filter(
    (group) => decided.get(group.lower) === 'person' && group.lower.includes(' '),
  );
  people.sort((a, b) => b.lower.split(' ').length - a.lower.split(' ').length);
  const alias = new Map<string, string>();
  for (const group of people) {
    const words = group.lower.split(' ');
    const longer = people.find(
      (other) =>
        other !== group && other.lower.length > group.lower.length && containsInOrder(other.lower, words),
    );
    if (longer) alias.set(group.lower, alias.get(longer.lower) ?? longer.lower);
  }
  for (const group of groups.values()) {
    if (group.lower.includes(' ') || alias.has(group.lower)) continue;
    const type = decided.get(group.lower);
    const strongOther =
      type !== 'person' && type !== null && Math.max(...group.votes.map((vote) => vote.weight)) >= 4;
    const bySurname = people.find((person) => person.lower.split(' ').at(-1) === group.lower);
    const byFirst = strongOther
      ? undefined
      : people.find((person) => person.lower.split(' ')[0] === group.lower);
    const target = bySurname ?? byFirst;
    if (target) alias.set(group.lower, alias.get(target.lower) ?? target.lower);
  }

  // Short forms of organisations: "Rovers" or "Blackburn" for "Blackburn Rovers", when only one fits.
  const orgs = [...groups.values()].filter(
    (group) => decided.get(group.lower) === 'organization' && group.lower.includes(' '),
  );
  for (const group of groups.values()) {
    const type = decided.get(group.lower);
    const weak = Math.max(0, ...group.votes.map((vote) => vote.weight)) < 2.5;
    if (group.lower.includes(' ') || alias.has(group.lower)) continue;
    if (type !== null && type !== 'organization' && !weak) continue;
    const matches = orgs.filter((org) => {
      const words = org.lower.split(' ');
      return words[0] === group.lower || words.at(-1) === group.lower;
    });
    const only = matches[0];
    if (only && matches.length === 1) alias.set(group.lower, only.lower);
  }

  // Spelling variants of one name: "TimeWarner"/"Time Warner", "U.S."/"US", "Liberal Democrat"/"Liberal Democrats".
  const byCompact = new Map<string, Group>();
  const ranked = [...groups.values()].sort((a, b) => b.occurrences.length - a.occurrences.length);
  for (const group of ranked) {
    const type = decided.get(group.lower);
    if (!type || type === 'person' || alias.has(group.lower)) continue;
    const compact = group.lower.replace(/[\s.\-'’]/g, '').replace(/s$/, '');
    const main = byCompact.get(`${type}:${compact}`);
    if (main) alias.set(group.lower, main.lower);
    else byCompact.set(`${type}:${compact}`, group);
  }

  const recordFor = (lower: string): EntityRecord | null => {
    const key = alias.get(lower) ?? lower;
    const existing = records.get(key);
    if (existing) return existing;
    const group = groups.get(key);
    const type = decided.get(key);
    if (!group || !type) return null;
    const gender = type === 'person' ? genderOf(group) : null;
    const record: EntityRecord = { name: canonicalSurface(group), type, gender, mentions: 0, order: order++ };
    records.set(key, record);
    return record;
  };

  // Acronyms defined in brackets ("Securities and Exchange Commission (SEC)") name the same organisation.
  const mentions: Mention[] = [];
  const all = [...groups.values()].flatMap((group) => group.occurrences);
  all.sort((a, b) => a.paragraph - b.paragraph || a.start - b.start);
  all.forEach((occurrence, index) => {
    const following = all[index + 1];
    if (occurrence.punctAfter === '(' && following && following.paragraph === occurrence.paragraph) {
      const longForm = decided.get(occurrence.lower);
      if (
        longForm === 'organization' &&
        /^\p{Lu}{2,}$/u.test(following.text) &&
        !alias.has(following.lower)
      ) {
        alias.set(following.lower, alias.get(occurrence.lower) ?? occurrence.lower);
      }
    }
  });
  for (const occurrence of all) {
    const record = recordFor(occurrence.lower);
    if (!record) continue;
    record.mentions++;
    mentions.push({
      entity: record,
      paragraph: occurrence.paragraph,
      start: occurrence.start,
      end: occurrence.end,
    });
  }

  const list = (type: EntityType): Entity[] =>
    [...records.values()]
      .filter((record) => record.type === type && record.mentions > 0)
      .sort((a, b) => b.mentions - a.mentions || a.order - b.order)
      .map(({ name, mentions: count }) => ({ name, mentions: count }));

  return {
    people: list('person'),
    places: list('place'),
    organizations: list('organization'),
    mentions,
    resolve: (surface) => recordFor(surface.toLowerCase().replace(/['’]s$/, '')),
  };
};

const containsInOrder = (longer: string, words: string[]): boolean => {
  const parts = longer.split(' ');
  let at = 0;
  for (const word of words) {
    at = parts.indexOf(word, at);
    if (at < 0) return false;
    at++;
  }
  return true;
};

const genderOf = (group: Group): 'male' | 'female' | null =>
  group.occurrences.find((occurrence) => occurrence.gender)?.gender ??
  genderOfFirstName(group.lower.split(' ')[0] ?? '');
