import {
  CARMAKERS,
  COUNTRIES,
  EVENT_HEADS,
  FACILITY_HEADS,
  GROUNDS_AND_SHOWS,
  ORG_SUFFIXES,
  ORGANIZATIONS,
  PLACES,
  UK_TOWNS,
} from '../lexicon';
import type { Candidate } from './candidates';
import type { Vote } from './classify';

/**
 * Names that are none of person, place or organisation: events and prizes ("the Kessler Cup", "The Dublin
 * Marathon"), grounds and buildings ("Kingsmead Park", "the O2 arena") and products ("Renault Master"). They are
 * dropped whole, so that the place or company inside them is not picked out either.
 */
export const isOtherThing = (candidate: Candidate): boolean => {
  const { tokens, lower } = candidate;
  // "the O2 arena" is a building, but "Chelsea's ground" is still Chelsea.
  const facility = FACILITY_NEXT.has(candidate.next) && !tokens.at(-1)?.possessive;
  if (facility || WORK_CUES.has(candidate.previous)) return true;
  if (GROUNDS_AND_SHOWS.has(lower)) return true;
  if (tokens.length < 2 || ORGANIZATIONS.has(lower) || PLACES.has(lower)) return false;
  const first = tokens[0]?.lower ?? '';
  const last = tokens.at(-1)?.lower ?? '';
  const ofAt = tokens.findIndex((token) => token.lower === 'of' || token.lower === 'for');
  if (
    EVENT_HEADS.has(last) ||
    EVENT_HEADS.has(
      tokens
        .slice(-2)
        .map((t) => t.lower)
        .join(' '),
    )
  )
    return true;
  if (ofAt < 0 && FACILITY_HEADS.has(last)) return true;
  if (FACILITY_FIRST.has(first)) return true;
  return tokens.length === 2 && CARMAKERS.has(first) && !ORG_SUFFIXES.has(last);
};

/**
 * "the film Harbour Lights", "her album Concrete Orchard": a title of a work follows these words (not "play",
 * "hit" or "book", which as verbs come before clubs and countries: "play Chelsea", "storms hit Britain").
 */
const WORK_CUES = new Set([
  'film',
  'movie',
  'album',
  'song',
  'novel',
  'programme',
  'musical',
  'painting',
  'documentary',
  'sitcom',
  'drama',
  'opera',
  'poem',
  'sculpture',
]);
const FACILITY_NEXT = new Set(['arena', 'stadium', 'ground', 'racecourse', 'circuit', 'velodrome']);
const FACILITY_FIRST = new Set(['parc', 'stade', 'estadio', 'stadio', 'estadi']);

/** "signed with Valencia", "on loan at Lyon": a city that is the club whatever the story. */
const CLUB_BEFORE =
  /\b(?:signed (?:with|for)|on loan (?:at|from|to)|loan (?:at|from|to)|transfer to|plays for|played for|playing for|beaten by|drew with|draw with|lost to|win over|victory over|knocked out by)$/;
/** "against Lens", "joined Lyon", "face Nantes": the club only in a sports story ("against Hollywood imports"). */
const SPORT_CLUB_BEFORE =
  /\b(?:joined|joins|join|joining|against|beat|beats|beating|v|vs|move to|sold to|bought from|hosts?|hosted|hosting|faces?|faced|facing|losing to|draw against|won at|defeat (?:by|to)|knock out)$/;
const CLUB_AFTER = new Set([
  'manager',
  'boss',
  'coach',
  'striker',
  'midfielder',
  'defender',
  'goalkeeper',
  'keeper',
  'captain',
  'fans',
  'supporters',
  'forward',
  'winger',
  'full-back',
  'fly-half',
  'scrum-half',
  'beat',
  'drew',
  'thrashed',
  'edged',
  'lost',
]);

/**
 * Context that says a city or region names its club; never for countries (national sides are their own story).
 * In a sports story a town named without "in" before it ("Luton", "Yeovil and Hartlepool") is the club.
 */
export const clubVote = (candidate: Candidate, previousWords: string, sport: boolean): Vote | null => {
  if (COUNTRIES.has(candidate.lower) || candidate.sentenceStart) return null;
  const cue = CLUB_BEFORE.test(previousWords) || (sport && SPORT_CLUB_BEFORE.test(previousWords));
  if (cue || (sport && CLUB_AFTER.has(candidate.next))) return { type: 'organization', weight: 5 };
  return null;
};

/**
 * In a sports story a club town ("Luton", "Stoke", "Leeds") is the club unless the text puts something in it:
 * "travel to Burnley" and "Arsenal v Stoke" are fixtures, "born in Burnley" is the town.
 */
export const sportTownVote = (candidate: Candidate, previousWords: string): Vote | null => {
  const { lower } = candidate;
  if (candidate.tokens.length !== 1 || COUNTRIES.has(lower)) return null;
  if (!ORGANIZATIONS.has(lower) && !UK_TOWNS.has(lower)) return null;
  return IN_PLACE.test(previousWords) ? { type: 'place', weight: 4 } : { type: 'organization', weight: 4 };
};

/** "born in Burnley", "in Llanelli and Wigan", "Neil Stapleton (Lancashire)": the town, not the club. */
const IN_PLACE =
  /(?:\b(?:in|near|across|outside|throughout|of|around|born|based)|\b(?:in|near|across|around)\s+[\p{L}'’ -]+(?:,|\band)|\()$/u;

/** Words that make a story a sports report: several of them and a city stands for its club. */
const SPORT_WORDS =
  /\b(?:goals?|striker|midfielder|defender|goalkeeper|penalty|replay|semi-final|quarter-final|half-time|kick-off|scored|tries|fly-half|scrum-half|wicket|innings|premiership|championship|league|fixture|relegation|promotion|manager|coach|cup|match|season|draw|fixtures?|v)\b/gi;
export const isSportStory = (texts: ReadonlyArray<{ text: string }>): boolean => {
  let count = 0;
  for (const { text } of texts) {
    count += text.match(SPORT_WORDS)?.length ?? 0;
    if (count >= 4) return true;
  }
  return false;
};
