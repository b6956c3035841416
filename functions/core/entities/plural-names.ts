import { COMMON_WORDS, DEMONYMS, FIRST_NAMES, LAST_NAMES, PLACES } from '../lexicon';
import type { Candidate } from './candidates';

/**
 * "the Scarlets", "the Marrow Kings", "Paper Lanterns": a name ending in a plural of an ordinary word is a band,
 * a team or a group of people, not a person.
 */
export const isPluralName = (candidate: Candidate): boolean => {
  const last = candidate.tokens.at(-1);
  if (!last || !/\p{Ll}s$/u.test(last.text) || candidate.sentenceStart) return false;
  if (LAST_NAMES.has(last.lower)) return false;
  const singular = last.lower.replace(/(?:es|s)$/, '');
  const ordinary = COMMON_WORDS.has(last.lower.slice(0, -1)) || COMMON_WORDS.has(singular);
  if (NOT_GROUPS.has(last.lower)) return false;
  if (candidate.tokens.length === 1) return candidate.previous === 'the' && ordinary;
  // "Ryan Hedges", "Keanu Reeves" are people: the words before the plural must be ordinary words too.
  const [first, ...others] = candidate.tokens;
  if (!first || first.sentenceStart || FIRST_NAMES.has(first.lower)) return false;
  if (candidate.previous !== 'the' && !COMMON_WORDS.has(first.lower)) return false;
  return (
    others.length <= 2 &&
    candidate.tokens.every(
      (token) => token.capitalised && !DEMONYMS.has(token.lower) && !PLACES.has(token.lower),
    )
  );
};

/** Plurals that end names of departments, topics and events, not of bands or teams. */
const NOT_GROUPS = new Set([
  'affairs',
  'rights',
  'wars',
  'votes',
  'troubles',
  'games',
  'sports',
  'arts',
  'sciences',
  'studies',
  'services',
  'relations',
  'resources',
  'communities',
  'works',
  'citizens',
  'isles',
  'judges',
  'bonds',
  'singles',
  'globes',
  'awards',
  'marathons',
  'standards',
  'islands',
  'rivers',
  'housewives',
]);
