import { COUNTRIES, DEMONYMS, FIRST_NAMES, ORGANIZATIONS, PLACES } from '../lexicon';
import type { Candidate } from './candidates';
import type { Vote } from './classify';

/** "Kyodo reported", "the daily reported": agencies and papers report, so the verb is no sign of a person. */
export const REPORTING = new Set(['reported', 'reports']);

/** "Eastern Military District", "Northern Fleet Joint Command": an armed-forces body, not a region. */
const MILITARY = new Set(['military', 'naval', 'army', 'air', 'rocket', 'missile', 'defence', 'defense']);
const MILITARY_HEADS = new Set(['district', 'region', 'command', 'zone', 'group']);
const SERVICES =
  /^(?:navy|army|air force|coast guard|marines|marine corps|fleet|[\p{L}-]+ fleet|national guard)$/u;
/** "to the Reed Bank", "off the Dogger Bank": after these a bank is under the sea, not in the City. */
const BANK_PLACE_BEFORE =
  /\b(?:off|near|to|from|around|across|towards|toward|in)(?:\s+the)?(?:\s+[\p{L}'’ -]+(?:,|\band)(?:\s+the)?)?$/u;
/** "Masinloc, in Zambales", "Biala Podlaska, a town of 55,000": what follows says it is a place. */
const TOWN_AFTER =
  /^\s*,\s*an?\s+(?:(?:small|industrial|port|coastal|border|mining|farming|fishing|market|steel|oil)\s+)?(?:town|city|village|port|district|region|province|island)\b/u;
/** "from Masinloc, in Zambales": a name after a locative that is itself placed somewhere. */
const PLACED_IN = /^\s*,\s*in\s+(?:the\s+)?\p{Lu}/u;
const LOCATIVE_BEFORE = /\b(?:from|to|near|at|of|outside|around|off)$/;
/** "Residents of Al Khobar", "fishermen from Masinloc", "residents of Vanderbijlpark and Masinloc". */
const PEOPLE_OF =
  /\b(?:residents|inhabitants|villagers|fishermen|farmers|people|outskirts|suburbs|streets) (?:of|from|in)(?:\s+[\p{L}'’ -]+(?:,|\band))?$/u;

/**
 * The shapes of international wire copy that the general rules read wrongly: statistics offices named after
 * their country ("Statistics South Africa"), armed-forces bodies whose heads are place words, sea banks, and a
 * coalition partner, which is a party.
 */
export const wireVote = (candidate: Candidate, previousWords: string, nextWords: string): Vote | null => {
  const { tokens, lower } = candidate;
  const first = tokens[0]?.lower ?? '';
  const last = tokens.at(-1)?.lower ?? '';
  const rest = tokens
    .slice(1)
    .map((token) => token.lower)
    .join(' ');
  if (tokens.length > 1 && first === 'statistics' && COUNTRIES.has(rest))
    return { type: 'organization', weight: 3 };
  if (tokens.length > 1 && MILITARY_HEADS.has(last) && tokens.some((token) => MILITARY.has(token.lower))) {
    return { type: 'organization', weight: 3 };
  }
  const known =
    ORGANIZATIONS.has(lower) || ORGANIZATIONS.has(first) || PLACES.has(first) || DEMONYMS.has(first);
  if (tokens.length === 2 && last === 'bank' && !known && BANK_PLACE_BEFORE.test(previousWords)) {
    return { type: 'place', weight: 3.5 };
  }
  // "Philippine Navy", "Russian Pacific Fleet", "Japan Coast Guard": a country's armed service is a body.
  const demonymFirst = DEMONYMS.has(first) || COUNTRIES.has(first);
  if (
    tokens.length > 1 &&
    demonymFirst &&
    SERVICES.test(
      tokens
        .slice(1)
        .map((t) => t.lower)
        .join(' '),
    )
  ) {
    return { type: 'organization', weight: 3 };
  }
  // "the daily Svenska Dagbladet", but not "Entertainment Weekly's Dave Karger".
  // "Kenya Red Cross", "Philippine Red Cross": a place before a known organisation is its branch.
  const tail = tokens
    .slice(1)
    .map((t) => t.lower)
    .join(' ');
  if (tokens.length > 2 && (PLACES.has(first) || DEMONYMS.has(first)) && ORGANIZATIONS.has(tail)) {
    return { type: 'organization', weight: 3 };
  }
  if (/\b(?:coalition partners?|the (?:daily|weekly))$/.test(previousWords))
    return { type: 'organization', weight: 2 };
  const firstName = FIRST_NAMES.has(first) && tokens.length > 1;
  if (
    tokens.length <= 3 &&
    !known &&
    !firstName &&
    (PEOPLE_OF.test(previousWords) ||
      TOWN_AFTER.test(nextWords) ||
      (PLACED_IN.test(nextWords) && LOCATIVE_BEFORE.test(previousWords)))
  ) {
    return { type: 'place', weight: 2 };
  }
  return null;
};
