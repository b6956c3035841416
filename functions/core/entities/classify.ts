import {
  BASE_PLACES,
  COMMON_WORDS,
  COUNTRIES,
  DEMONYMS,
  FEMALE_NAMES,
  FIRST_NAMES,
  FUNCTION_WORDS,
  KNOWN_PEOPLE,
  LAST_NAMES,
  MALE_NAMES,
  NEWSPAPERS,
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
import { clubVote, sportTownVote } from './kinds';
import { isPluralName } from './plural-names';
import { NAME_PARTICLES } from './runs';
import { REPORTING, wireVote } from './wire-kinds';

/** "in Llanelli and Wigan": the second of a list after a locative is a place too. */
const LISTED_AFTER_LOCATIVE = /\b(?:in|at|near|from|to|across)\s+[\p{L}'’ -]+(?:,|\band)$/u;

/** The word after a city that makes it say where something is from: "the Leeds band". */
const CITY_AS_ADJECTIVE = new Set([
  'band',
  'firm',
  'company',
  'group',
  'council',
  'businessman',
  'artist',
  'singer',
  'rapper',
  'duo',
  'trio',
  'label',
  'start-up',
  'startup',
  'designer',
  'university',
  'hospital',
  'airport',
]);

export type EntityType = 'person' | 'place' | 'organization';
/** Evidence for one reading of a span; strong evidence (a gazetteer hit, a suffix, a title) outweighs context. */
export type Vote = { type: EntityType; weight: number };

const LOCATIVES = new Set([
  'in',
  'off',
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
const STRONG_LOCATIVES = new Set(['in', 'near', 'across', 'outside', 'throughout', 'off']);
const withoutMarks = (word: string): string => word.normalize('NFD').replace(/\p{M}/gu, '');
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
const NAME_PART = /^\p{Lu}[\p{Ll}'’]*(?:-\p{Lu}?[\p{Ll}'’]*)*\p{Ll}$/u;
/** World-gazetteer towns ("Paterson", "Preston") are surnames as often as places: only the core list counts. */
const looksLikeNamePart = (token: { text: string; lower: string }): boolean =>
  NAME_PART.test(token.text) &&
  !BASE_PLACES.has(token.lower) &&
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
export const classify = (
  candidate: Candidate,
  previousWords: string,
  sport = false,
  nextWords = '',
  longBefore = previousWords,
): Vote[] => {
  const { lower, tokens } = candidate;
  const votes: Vote[] = [];
  const shouted = candidate.text.length > 1 && candidate.text === candidate.text.toUpperCase();
  if (NON_ENTITIES.has(lower) || (FUNCTION_WORDS.has(lower) && !shouted) || !/\p{L}/u.test(lower))
    return votes;
  const isOrg = ORGANIZATIONS.has(lower);
  const isPlace = PLACES.has(lower);
  // A lone title ("the Chancellor said") or a people's name ("Britons") is not an entity by itself; "the
  // Treasury" is an organisation even though "Treasury" is also part of titles.
  const lone = TITLE_WORDS.has(lower) || DEMONYMS.has(lower.replace(/s$/, ''));
  // "the Philippines" is listed among peoples too, but is a country.
  if (tokens.length === 1 && lone && !isOrg && !BASE_PLACES.has(lower)) return votes;
  const first = tokens[0]?.lower ?? '';
  const last = tokens.at(-1)?.lower ?? '';
  const head = headWord(tokens);
  if (NEWSPAPERS.has(lower) && (candidate.previous === 'the' || tokens.length > 1)) {
    return [{ type: 'organization', weight: 4 }];
  }
  const sportTown = sport && isPlace ? sportTownVote(candidate, previousWords) : null;
  if (sportTown) return [sportTown];
  if (isOrg && isPlace) {
    // "the Leeds band", "the Toulouse firm": a city named to say where something is from.
    const where =
      LOCATIVES.has(candidate.previous) ||
      candidate.previous === 'to' ||
      CITY_AS_ADJECTIVE.has(candidate.next) ||
      LISTED_AFTER_LOCATIVE.test(previousWords);
    votes.push(where ? { type: 'place', weight: 3 } : { type: 'organization', weight: 2 });
  } else if (isOrg) votes.push({ type: 'organization', weight: 4 });
  else if (isPlace) votes.push({ type: 'place', weight: 4 });
  if (KNOWN_PEOPLE.has(lower)) votes.push({ type: 'person', weight: 4 });
  const club = clubVote(candidate, previousWords, sport);
  if (isPlace && club) votes.push(club);
  if (votes.length > 0) return votes;
  if (sport && clubVote(candidate, previousWords, true) && tokens.length === 1 && !FIRST_NAMES.has(first))
    return [{ type: 'organization', weight: 2 }];
  // "Cardiff Harriers", "Athletics Ireland": a place with a word that is no surname is a club or a body.
  const lastIsCountry =
    COUNTRIES.has(last) && COMMON_WORDS.has(first) && !COMPASS.has(first) && tokens.length === 2;
  const placeThenWord =
    tokens.length === 2 &&
    BASE_PLACES.has(first) &&
    !FIRST_NAMES.has(first) &&
    !PLACES.has(last) &&
    !LAST_NAMES.has(last) &&
    !PLACE_SUFFIXES.has(last) &&
    !PLACE_NOUNS.has(last) &&
    !COMPASS.has(first);
  if (lastIsCountry || placeThenWord) return [{ type: 'organization', weight: 2 }];

  const text = candidate.text;
  if (tokens.length === 1 && ACRONYM.test(text)) return [{ type: 'organization', weight: 2 }];
  if (tokens.length === 1 && CAMEL.test(text)) return [{ type: 'organization', weight: 2 }];
  // "British TV" or "US government" is a description, not a name: the rest is only demonyms and acronyms.
  const described =
    tokens.length > 1 &&
    tokens
      .slice(0, -1)
      .every((t) => DEMONYMS.has(t.lower) || (/^\p{Lu}+$/u.test(t.text) && PLACES.has(t.lower)));
  // "BBC Sport", "BBC Radio Bristol", "Sky News": a known organisation's name followed by more capitals, but
  // not "Emi Tanabe", whose first name is also a record label's.
  const orgWords = tokens
    .slice(1)
    .some(
      (t) =>
        COMMON_WORDS.has(t.lower) ||
        ORG_SUFFIXES.has(t.lower) ||
        PLACES.has(t.lower) ||
        DEMONYMS.has(t.lower) ||
        /\d/.test(t.text),
    );
  const knownFirst = tokens[0]?.text === tokens[0]?.text.toUpperCase() || orgWords;
  if (tokens.length > 1 && ORGANIZATIONS.has(first) && !PLACES.has(first) && knownFirst)
    return [{ type: 'organization', weight: 3 }];
  const wire = wireVote(candidate, longBefore, nextWords);
  if (wire) return [wire];
  if (lower.includes(' & ')) return [{ type: 'organization', weight: 3 }];
  // "East Palestine", "Northern Ireland", "Greater Manchester": a compass word before a place is a place.
  if (tokens.length === 2 && COMPASS.has(first) && PLACES.has(last)) return [{ type: 'place', weight: 3 }];
  // A suffix alone ("Hospital", "Council") is a common noun that starts a sentence, not a name.
  if (tokens.length > 1 && ORG_SUFFIXES.has(head) && !(described && head === last))
    return [{ type: 'organization', weight: 3 }];
  const personLike = tokens.length === 2 && FIRST_NAMES.has(first) && !PLACES.has(first);
  if (
    // A lone "Harbour" or "Port" starting a sentence is a common noun, not a place.
    (PLACE_SUFFIXES.has(head) && !personLike && tokens.length > 1) ||
    (tokens.length > 1 && ['river', 'lake', 'mount', 'cape', 'port'].includes(first))
  ) {
    return [{ type: 'place', weight: 3 }];
  }
  if (candidate.titled) return [{ type: 'person', weight: 3 }];
  if (isPluralName(candidate)) return [{ type: 'organization', weight: 2 }];
  // "Germany's Infineon", "Japan's Sony": a country's one-word name that is no person's is its company.
  const owner = /([\p{L}-]+)['’]s$/u.exec(previousWords)?.[1];
  const nameLike = FIRST_NAMES.has(first) || LAST_NAMES.has(first) || COMMON_WORDS.has(first);
  if (owner && COUNTRIES.has(owner) && tokens.length === 1 && !nameLike && !candidate.sentenceStart) {
    return [{ type: 'organization', weight: 1.5 }];
  }
  if (ORG_CUES.has(candidate.previous)) return [{ type: 'organization', weight: 1.5 }];
  if (/\b(?:city|town|village|province|region|capital|state) of$/.test(previousWords)) {
    return [{ type: 'place', weight: 2 }];
  }
  // "Omar bin Faisal", "Marta da Silva": a particle inside a name is lower case.
  const plain = tokens.every((token) => token.capitalised || NAME_PARTICLES.has(token.lower));
  // "Jean-Marc Duval": a hyphenated first name is a first name when both halves are; "João" is "Joao".
  const bare = withoutMarks(first);
  const firstName =
    FIRST_NAMES.has(first) ||
    FIRST_NAMES.has(bare) ||
    (first.includes('-') && first.split('-').every((part) => FIRST_NAMES.has(part))) ||
    (first.includes('-') && first.split('-')[0] === 'jean');
  // "Roman Catholics" names a faith, not a person called Roman.
  const peopleWord = NON_ENTITIES.has(last) || DEMONYMS.has(last.replace(/s$/, ''));
  if (tokens.length > 1 && tokens.length <= 4 && plain && !peopleWord) {
    if (firstName && !PLACES.has(first)) votes.push({ type: 'person', weight: 2.5 });
    else if (LAST_NAMES.has(last)) votes.push({ type: 'person', weight: 2 });
  }
  if (ROLE_NOUNS.has(candidate.previous) && !PLACE_NOUNS.has(candidate.previous)) {
    votes.push({ type: 'person', weight: 2 });
  }
  // "Kyodo reported": agencies and papers report; people say.
  const speaks = SPEECH_VERBS.has(candidate.next) && !REPORTING.has(candidate.next);
  if (speaks || INVERTED_SPEECH.has(candidate.previous)) {
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
