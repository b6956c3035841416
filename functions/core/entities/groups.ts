import { BASE_PLACES, DEMONYMS, FIRST_NAMES, ORGANIZATIONS, PLACES } from '../lexicon';
import { bareCandidate, type Candidate, findCandidates } from './candidates';
import { classify, type EntityType, type Vote } from './classify';
import { isOtherThing, isSportStory } from './kinds';
import { readLineup } from './lineups';
import { NAME_PARTICLES } from './runs';
import { tokenize } from './tokenize';

/** Every occurrence of one spelling (lower case) across the article, with the evidence each gave. */
export type Group = { lower: string; surfaces: Map<string, number>; votes: Vote[]; occurrences: Candidate[] };

export const keepWhole = (lower: string): boolean => ORGANIZATIONS.has(lower) || PLACES.has(lower);

const weightOf = (votes: Vote[], type: EntityType): number =>
  votes.reduce((sum, vote) => (vote.type === type ? sum + vote.weight : sum), 0);

/** The reading with the most evidence, or null when there is too little to say. */
export const decide = (group: Group): EntityType | null => {
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
  if (candidate.tokens.length !== 1 || !only || !only.text.includes('-') || keepWhole(candidate.lower)) {
    return [candidate];
  }
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

export const collect = (texts: Array<{ paragraph: number; text: string }>): Map<string, Group> => {
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
  const sport = isSportStory(texts);
  for (const { paragraph, text } of texts) {
    const lowerText = text.toLowerCase();
    const lineup = readLineup(text, paragraph);
    const listed = lineup ? [...lineup.players, ...(lineup.team ? [lineup.team] : [])] : [];
    // A player's name outweighs what the gazetteers say of the word ("Ford", "Given"); the team is a club.
    for (const player of lineup?.players ?? []) add(player, [{ type: 'person', weight: 5 }]);
    if (lineup?.team) add(lineup.team, [{ type: 'organization', weight: 3 }]);
    for (const found of findCandidates(tokenize(text), paragraph, keepWhole)) {
      if (listed.some((name) => found.start < name.end && name.start < found.end)) continue;
      for (const candidate of splitHyphenated(found)) {
        // "the Philippines" is a country even though the lexicon lists it among peoples.
        const people = DEMONYMS.has(candidate.lower) && !BASE_PLACES.has(candidate.lower);
        if (people || isOtherThing(candidate)) continue;
        const votes = classify(
          candidate,
          lowerText.slice(Math.max(0, candidate.start - 30), candidate.start).trim(),
          sport,
          text.slice(candidate.end, candidate.end + 40),
          lowerText.slice(Math.max(0, candidate.start - 60), candidate.start).trim(),
        );
        // "Van der Berg" with nothing said of it may still be the end of a full name (extract.ts decides).
        if (votes.length === 0 && candidate.tokens.some((token) => NAME_PARTICLES.has(token.text))) {
          add(candidate, votes);
          continue;
        }
        if (votes.length === 0 && candidate.tokens.length > 1) {
          // An unknown phrase ("Airshow China") may still contain a known place or organisation.
          for (const token of candidate.tokens) {
            const known = ORGANIZATIONS.has(token.lower) || BASE_PLACES.has(token.lower);
            if (!token.capitalised || !known) continue;
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
  // How many spans end in each word: "Late Hargreaves" folds into "Tom Hargreaves", never into itself.
  const lastWords = new Map<string, number>();
  for (const key of groups.keys()) {
    const last = key.includes(' ') ? key.split(' ').at(-1) : undefined;
    if (last) lastWords.set(last, (lastWords.get(last) ?? 0) + 1);
  }
  for (const group of [...groups.values()]) {
    const words = group.lower.split(' ');
    const first = words[0] ?? '';
    // "Jean-Baptiste Lemaire-Duval" opening a sentence is still one name.
    const firstName = FIRST_NAMES.has(first) || first.split('-').some((part) => FIRST_NAMES.has(part));
    // "ArcelorMittal South Africa" opening the lede keeps its first word: a known name is no sentence-start word.
    if (words.length < 2 || firstName || keepWhole(group.lower) || ORGANIZATIONS.has(first)) continue;
    if (!group.occurrences.every((occurrence) => occurrence.tokens[0]?.sentenceStart)) continue;
    const rest = words.slice(1).join(' ');
    const endsOthers = (lastWords.get(words.at(-1) ?? '') ?? 0) > 1 && rest.indexOf(' ') < 0;
    if (!groups.has(rest) && !endsOthers) continue;
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
export const addDateline = (groups: Map<string, Group>, dateline: string): void => {
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
  group.occurrences.push(bareCandidate([token], name, -2, 0, 0));
  group.surfaces.set(name, (group.surfaces.get(name) ?? 0) + 1);
  groups.set(lower, group);
};

export const canonicalSurface = (group: Group): string =>
  [...group.surfaces.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? group.lower;
