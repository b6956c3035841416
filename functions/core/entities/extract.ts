import type { Entity } from '../article';
import { type EntityType, genderOfFirstName } from './classify';
import { addDateline, canonicalSurface, collect, decide, type Group } from './groups';

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
    else {
      const full = people.find((other) => other !== group && expandsInitial(group.lower, other.lower));
      if (full) alias.set(group.lower, alias.get(full.lower) ?? full.lower);
    }
  }
  // "Van der Berg" opening a sentence, with nothing said of it, is the end of "Ruud van der Berg".
  for (const group of groups.values()) {
    if (!group.lower.includes(' ') || decided.get(group.lower) || alias.has(group.lower)) continue;
    const target = people.find((person) => person.lower.endsWith(` ${group.lower}`));
    if (target) {
      alias.set(group.lower, alias.get(target.lower) ?? target.lower);
      decided.set(group.lower, 'person');
    }
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

  // "the Joint Chiefs" are the "Joint Chiefs of Staff": a name cut before its "of" or "for", when only one fits.
  for (const group of orgs) {
    if (alias.has(group.lower)) continue;
    const longer = orgs.filter(
      (org) => org.lower.startsWith(`${group.lower} of `) || org.lower.startsWith(`${group.lower} for `),
    );
    const only = longer[0];
    if (only && longer.length === 1) alias.set(group.lower, alias.get(only.lower) ?? only.lower);
  }

  // "the Greens" are the "Green Party" when the article names the party.
  for (const group of groups.values()) {
    if (decided.get(group.lower) !== 'organization' || !group.lower.endsWith('s') || alias.has(group.lower))
      continue;
    const party = `${group.lower.slice(0, -1)} party`;
    if (decided.get(party) === 'organization') alias.set(group.lower, party);
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

/** "g thomas" or "j-p grandclaude" (a team sheet's initial) is "gareth thomas" when the article names him. */
const expandsInitial = (short: string, long: string): boolean => {
  const [initial, ...rest] = short.split(' ');
  const [first, ...others] = long.split(' ');
  if (!initial || !first || !/^\p{L}\.?(?:-\p{L}\.?)?$/u.test(initial) || first.length <= 2) return false;
  const letters = initial.replace(/\./g, '').split('-');
  const parts = first.split('-');
  return (
    rest.join(' ') === others.join(' ') &&
    letters.length === parts.length &&
    letters.every((letter, index) => parts[index]?.startsWith(letter ?? ''))
  );
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
