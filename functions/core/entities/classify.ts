import {
  COMMON_WORDS,
  DEMONYMS,
  FEMALE_NAMES,
  FIRST_NAMES,
  FUNCTION_WORDS,
  KNOWN_PEOPLE,
  LAST_NAMES,
  MALE_NAMES,
  NON_ENTITIES,
  ORG_CUES,
  ORG_SUFFIXES,
  ORGANIZATIONS,
  PLACE_SUFFIXES,
  PLACES,
  ROLE_NOUNS,
  SPEECH_VERBS,
  TITLE_WORDS,
} from '../lexicon';
import { type Candidate, headWord } from './candidates';

export type EntityType = 'person' | 'place' | 'organization';
/** Evidence for one reading of a span; strong evidence (a gazetteer hit, a suffix, a title) outweighs context. */
export type Vote = { type: EntityType; weight: number };

const LOCATIVES = new Set([
  'in',
  'at',
  'near',
  'from',
  'across',
  'outside',
  'inside',
  'throughout',
  'around',
]);
const COMPASS = new Set([
  'north',
  'south',
  'east',
  'west',
  'northern',
  'southern',
  'eastern',
  'western',
  'central',
  'upper',
  'lower',
  'greater',
  'new',
]);
const STRONG_LOCATIVES = new Set(['in', 'near', 'across', 'outside', 'throughout']);
/** "said Claxton": a name right after a speech verb speaks ("told Shoigu" is the listener, so not "told"). */
const INVERTED_SPEECH = new Set([
  'said',
  'says',
  'added',
  'adds',
  'explained',
  'insisted',
  'warned',
  'wrote',
  'asked',
]);
const NAME_PART = /^\p{Lu}[\p{Ll}'’-]*\p{Ll}$/u;
const looksLikeNamePart = (token: { text: string; lower: string }): boolean =>
  NAME_PART.test(token.text) &&
  !PLACES.has(token.lower) &&
  !ORGANIZATIONS.has(token.lower) &&
  !ORG_SUFFIXES.has(token.lower) &&
  !PLACE_SUFFIXES.has(token.lower) &&
  !NON_ENTITIES.has(token.lower) &&
  !DEMONYMS.has(token.lower) &&
  !FUNCTION_WORDS.has(token.lower) &&
  // "Million Dollar Baby", "Canary Wharf": ordinary words in capitals are titles of things, not names.
  (!COMMON_WORDS.has(token.lower) || FIRST_NAMES.has(token.lower) || LAST_NAMES.has(token.lower));
const PLACE_NOUNS = new Set([
  'city',
  'town',
  'village',
  'province',
  'region',
  'state',
  'capital',
  'port',
  'county',
]);
const ACRONYM = /^(?:\p{Lu}[\p{Lu}\d&]{1,5}|(?:\p{Lu}\.){2,}\p{Lu}?)$/u;
const CAMEL = /^(?!Mc|Mac|O'|O’|De|Di|La|Le)\p{Lu}\p{Ll}+\p{Lu}/u;

export const genderOfFirstName = (first: string): 'male' | 'female' | null => {
  const male = MALE_NAMES.has(first);
  const female = FEMALE_NAMES.has(first);
  return male === female ? null : male ? 'male' : 'female';
};

/** Context votes only: what a single occurrence says about its span. */
export const classify = (candidate: Candidate, previousWords: string): Vote[] => {
  const { lower, tokens } = candidate;
  const votes: Vote[] = [];
  const shouted = candidate.text.length > 1 && candidate.text === candidate.text.toUpperCase();
  if (NON_ENTITIES.has(lower) || (FUNCTION_WORDS.has(lower) && !shouted) || !/\p{L}/u.test(lower))
    return votes;
  // A lone title ("the Chancellor said") or a people's name ("Britons") is not an entity by itself.
  if (tokens.length === 1 && (TITLE_WORDS.has(lower) || DEMONYMS.has(lower.replace(/s$/, '')))) return votes;
  const first = tokens[0]?.lower ?? '';
  const last = tokens.at(-1)?.lower ?? '';
  const head = headWord(tokens);
  const isOrg = ORGANIZATIONS.has(lower);
  const isPlace = PLACES.has(lower);
  if (isOrg && isPlace) {
    votes.push(
      LOCATIVES.has(candidate.previous) ? { type: 'place', weight: 3 } : { type: 'organization', weight: 2 },
    );
  } else if (isOrg) votes.push({ type: 'organization', weight: 4 });
  else if (isPlace) votes.push({ type: 'place', weight: 4 });
  if (KNOWN_PEOPLE.has(lower)) votes.push({ type: 'person', weight: 4 });
  if (votes.length > 0) return votes;

  const text = candidate.text;
  if (tokens.length === 1 && ACRONYM.test(text)) return [{ type: 'organization', weight: 2 }];
  if (tokens.length === 1 && CAMEL.test(text)) return [{ type: 'organization', weight: 2 }];
  // "British TV" or "US government" is a description, not a name: the rest is only demonyms and acronyms.
  const described =
    tokens.length > 1 && tokens.slice(0, -1).every((t) => DEMONYMS.has(t.lower) || /^\p{Lu}+$/u.test(t.text));
  // "BBC Sport", "BBC Radio Bristol", "Sky News": a known organisation's name followed by more capitals.
  if (tokens.length > 1 && ORGANIZATIONS.has(first) && !PLACES.has(first))
    return [{ type: 'organization', weight: 3 }];
  if (lower.includes(' & ')) return [{ type: 'organization', weight: 3 }];
  // "East Palestine", "Northern Ireland", "Greater Manchester": a compass word before a place is a place.
  if (tokens.length === 2 && COMPASS.has(first) && PLACES.has(last)) return [{ type: 'place', weight: 3 }];
  // A suffix alone ("Hospital", "Council") is a common noun that starts a sentence, not a name.
  if (tokens.length > 1 && ORG_SUFFIXES.has(head) && !(described && head === last))
    return [{ type: 'organization', weight: 3 }];
  const personLike = tokens.length === 2 && FIRST_NAMES.has(first) && !PLACES.has(first);
  if (
    (PLACE_SUFFIXES.has(head) && !personLike) ||
    (tokens.length > 1 && ['river', 'lake', 'mount', 'cape'].includes(first))
  ) {
    return [{ type: 'place', weight: 3 }];
  }
  if (candidate.titled) return [{ type: 'person', weight: 3 }];
  if (ORG_CUES.has(candidate.previous)) return [{ type: 'organization', weight: 1.5 }];
  if (/\b(?:city|town|village|province|region|capital|state) of$/.test(previousWords)) {
    return [{ type: 'place', weight: 2 }];
  }
  const plain = tokens.every((token) => token.capitalised);
  if (tokens.length > 1 && tokens.length <= 4 && plain) {
    if (FIRST_NAMES.has(first) && !PLACES.has(first)) votes.push({ type: 'person', weight: 2.5 });
    else if (LAST_NAMES.has(last)) votes.push({ type: 'person', weight: 2 });
  }
  if (ROLE_NOUNS.has(candidate.previous) && !PLACE_NOUNS.has(candidate.previous)) {
    votes.push({ type: 'person', weight: 2 });
  }
  if (SPEECH_VERBS.has(candidate.next) || INVERTED_SPEECH.has(candidate.previous)) {
    votes.push({ type: 'person', weight: tokens.length > 1 ? 1.5 : 1 });
  }
  if (tokens.length > 1 && tokens.length <= 3 && votes.length === 0 && tokens.every(looksLikeNamePart)) {
    // Two or three plain capitalised words that are nothing else are, in news copy, usually a person.
    votes.push({ type: 'person', weight: 1.5 });
  }
  const placeLike =
    !FIRST_NAMES.has(first) &&
    !COMMON_WORDS.has(first) &&
    !ORG_SUFFIXES.has(first) &&
    !PLACE_SUFFIXES.has(first) &&
    !/\d/.test(first);
  if (tokens.length === 1 && placeLike && !candidate.sentenceStart) {
    if (STRONG_LOCATIVES.has(candidate.previous)) votes.push({ type: 'place', weight: 1 });
    else if (LOCATIVES.has(candidate.previous)) votes.push({ type: 'place', weight: 0.6 });
  }
  if (PLACE_NOUNS.has(candidate.next) || candidate.next === 'states' || candidate.next === 'river') {
    votes.push({ type: 'place', weight: 1.5 });
  }
  return votes;
};
