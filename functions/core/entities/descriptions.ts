import {
  COMMON_WORDS,
  DEMONYMS,
  FIRST_NAMES,
  LAST_NAMES,
  ORG_CUES,
  ORG_SUFFIXES,
  ORGANIZATIONS,
  PLACE_SUFFIXES,
  PLACES,
  ROLE_NOUNS,
  TITLE_WORDS,
} from '../lexicon';
import type { Token } from './tokenize';

const isRole = (token: Token): boolean =>
  ROLE_NOUNS.has(token.lower) || ROLE_NOUNS.has(token.lower.replace(/s$/, ''));

/**
 * "Liberal Democrat David Laws", "Tory Edward Turnour", "Comedian Chris Morris": a party, organisation or role
 * written before a name. The description is split off (an organisation is kept as its own candidate).
 */
export const splitDescription = (
  tokens: Token[],
): { name: Token[]; prefix: Token[]; titled: boolean } | null => {
  const first = tokens[0];
  if (tokens.length >= 3 && first?.sentenceStart && isRole(first)) {
    return { name: tokens.slice(1), prefix: [], titled: true };
  }
  // "Rapper Kay-Zee", "Rival Stellantis": a role or a kind of company at the start of a sentence describes
  // the name after it (which then reads it as context), unless the whole run is itself a name ("Network Rail").
  const whole = tokens.map((token) => token.lower).join(' ');
  const last = tokens.at(-1)?.lower ?? '';
  if (
    tokens.length === 2 &&
    first?.sentenceStart &&
    (isRole(first) || ORG_CUES.has(first.lower)) &&
    !FIRST_NAMES.has(first.lower) &&
    // "Band Aid" is a name; "Rival Stellantis" is a description and a name.
    !COMMON_WORDS.has(last) &&
    !ORGANIZATIONS.has(whole) &&
    !PLACES.has(whole) &&
    !ORG_SUFFIXES.has(last) &&
    !PLACE_SUFFIXES.has(last)
  ) {
    return { name: tokens.slice(1), prefix: [], titled: isRole(first) };
  }
  // "Fly-half Rhodri Pryce", "Olympian Peter Rotich": a word that is no name before a first name and surname.
  const second = tokens[1]?.lower ?? '';
  if (
    tokens.length === 3 &&
    first &&
    FIRST_NAMES.has(second) &&
    !FIRST_NAMES.has(first.lower) &&
    !LAST_NAMES.has(first.lower) &&
    !ORGANIZATIONS.has(first.lower) &&
    !PLACES.has(first.lower) &&
    !TITLE_WORDS.has(first.lower) &&
    first.text !== first.text.toUpperCase() &&
    (first.sentenceStart ||
      first.text.includes('-') ||
      /ian$/.test(first.lower) ||
      COMMON_WORDS.has(first.lower))
  ) {
    return { name: tokens.slice(1), prefix: [], titled: false };
  }
  for (let i = 1; i <= tokens.length - 2; i++) {
    if (!FIRST_NAMES.has(tokens[i]?.lower ?? '')) continue;
    const head = tokens.slice(0, i);
    const joined = head.map((token) => token.lower).join(' ');
    const roles = head.every(isRole);
    if (roles || ORGANIZATIONS.has(joined) || head.every((token) => DEMONYMS.has(token.lower))) {
      return { name: tokens.slice(i), prefix: roles ? [] : head, titled: roles };
    }
  }
  return null;
};
