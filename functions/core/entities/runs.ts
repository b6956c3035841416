import {
  COMMON_WORDS,
  FIRST_NAMES,
  FUNCTION_WORDS,
  LAST_NAMES,
  NON_ENTITIES,
  ORG_SUFFIXES,
  PLACE_SUFFIXES,
  PLACES,
  TITLE_WORDS,
} from '../lexicon';
import type { Token } from './tokenize';

/** Capitalised runs and the ways one run splits into names: the first step of finding candidates. */

export const CONNECTORS = new Set([
  'of',
  'the',
  'for',
  'and',
  '&',
  'de',
  'del',
  'della',
  'di',
  'da',
  'du',
  'la',
  'le',
  'van',
  'von',
  'der',
  'den',
  'bin',
  'ibn',
  'bint',
  'al',
  'el',
  'y',
  // Portuguese and Dutch particles: "João Pedro dos Santos", "Rio Grande do Norte", "Piet ter Horst".
  'dos',
  'das',
  'do',
  'ter',
  'ten',
]);

/** "P. Chidambaram", "J.R.R. Smith", "Ramon D. Alcaraz": an initial keeps its full stop inside a name. */
export const isInitial = (token: Token): boolean => /^\p{Lu}(?:\.\p{Lu}){0,3}$/u.test(token.text);
/**
 * "Kenya Farmers’ Union": a plural possessive keeps its apostrophe inside an organisation's name when an
 * organisation's word follows ("Union", "Association"), not in "Reynolds' Portrait".
 */
const isPluralPossessive = (token: Token, next: Token): boolean =>
  (token.punctAfter === "'" || token.punctAfter === '’') &&
  /\p{Ll}s$/u.test(token.text) &&
  ORG_SUFFIXES.has(next.lower);
/**
 * "in" joins an organisation's name after a purpose ("Council for Security and Defence in Central Europe"), not
 * after a place it belongs to ("Bank of China in New York").
 */
const joinsIn = (run: Token[]): boolean => run.some((token) => token.lower === 'for');

const isCapital = (token: Token): boolean => token.capitalised;
/** Words a number can follow inside a name: "BBC Radio 5 Live", "Channel 4", "Formula 1". */
const NUMBERED = new Set(['radio', 'channel', 'formula', 'division', 'league', 'series', 'bbc']);
const isNumberIn = (previous: Token, next: Token): boolean =>
  /^\d{1,3}$/.test(next.text) && NUMBERED.has(previous.lower);
const isPart = (token: Token | undefined): boolean =>
  token !== undefined && (token.capitalised || /^\d{1,3}$/.test(token.text));

/** Maximal runs of capitalised words joined by connectors ("Bank of England"); punctuation breaks a run. */
export const buildRuns = (tokens: Token[]): Token[][] => {
  const runs: Token[][] = [];
  let i = 0;
  while (i < tokens.length) {
    const first = tokens[i];
    if (!first || !isCapital(first)) {
      i++;
      continue;
    }
    const run: Token[] = [first];
    let j = i;
    while (j + 1 < tokens.length) {
      const current = tokens[j];
      if (!current || ADJECTIVAL.test(current.text)) break;
      if (current.possessive && !(PEOPLES.test(current.lower) && isCapital(tokens[j + 1] ?? current))) break;
      // "Mr." and "St." keep their full stop inside the run; any other punctuation ends it.
      const next = tokens[j + 1];
      if (!next) break;
      const abbreviationDot =
        current.punctAfter === '.' &&
        ((TITLE_WORDS.has(current.lower) && current.text.length <= 4) || initialBefore(current, next));
      const glued = abbreviationDot || current.punctAfter === '&' || isPluralPossessive(current, next);
      if (current.punctAfter !== '' && !glued) break;
      if (isCapital(next) || isNumberIn(current, next)) {
        run.push(next);
        j++;
        continue;
      }
      // Connectors stay only when a capitalised word follows them: "Bank of England", not "Bank of the".
      let k = j + 1;
      const connectors: Token[] = [];
      const isConnector = (token: Token | undefined): boolean =>
        token !== undefined && (CONNECTORS.has(token.lower) || (token.lower === 'in' && joinsIn(run)));
      while (k < tokens.length && isConnector(tokens[k]) && tokens[k]?.punctAfter === '') {
        const connector = tokens[k];
        if (connector) connectors.push(connector);
        k++;
      }
      const after = tokens[k];
      if (connectors.length > 0 && connectors.length <= 2 && after && isCapital(after)) {
        run.push(...connectors, after);
        j = k;
        continue;
      }
      break;
    }
    runs.push(run);
    i = j + 1;
  }
  return runs;
};

/**
 * An initial before a name ("P. Chidambaram"), not a sentence end ("Plan B. The") nor "U.S. Officials": the next
 * word is a name word, not a function word, an ordinary word or a place.
 */
const initialBefore = (current: Token, next: Token): boolean =>
  isInitial(current) &&
  !PLACES.has(current.lower) &&
  !PLACES.has(`${current.lower}.`) &&
  isCapital(next) &&
  !FUNCTION_WORDS.has(next.lower) &&
  (!COMMON_WORDS.has(next.lower) || LAST_NAMES.has(next.lower) || FIRST_NAMES.has(next.lower));

/** "Republican People's Party", "People's Bank of China": a people's possessive inside a name. */
const PEOPLES = /^(?:people|workers|farmers|women|teachers|citizens|miners|nurses|veterans|consumers)$/;

/** Splits "Russia and China" into two runs; "Procter & Gamble" stays whole. */
export const splitOnAnd = (run: Token[], keepWhole: (lower: string) => boolean): Token[][] => {
  const joined = run.map((token) => token.lower).join(' ');
  if (keepWhole(joined)) return [run];
  const parts: Token[][] = [[]];
  for (const token of run) {
    if (token.lower === 'and') parts.push([]);
    else parts.at(-1)?.push(token);
  }
  const [before, after] = parts;
  if (parts.length === 2 && before && after && isOneName(before, after, keepWhole)) return [run];
  return parts.filter((part) => part.length > 0);
};

/**
 * "Brighton and Hove Albion" (a place, then words ending in a club or company word that are not a known name
 * themselves) and "Federation of Hotels and Tourism Operators" (an organisation "of" something) are one name.
 */
const isOneName = (before: Token[], after: Token[], keepWhole: (lower: string) => boolean): boolean => {
  const afterLower = after.map((token) => token.lower).join(' ');
  if (after.length === 0 || keepWhole(afterLower) || keepWhole(after[0]?.lower ?? '')) return false;
  // "Church of England and the Christian..." or "Pact and the UK Film Council" are two names.
  const joiner = (token: Token): boolean => ['of', 'for', 'in'].includes(token.lower);
  if (after.some((token) => (!token.capitalised && !joiner(token)) || NON_ENTITIES.has(token.lower)))
    return false;
  const last = after.at(-1)?.lower ?? '';
  if (before.length === 1 && after.length >= 2 && ORG_SUFFIXES.has(last)) return true;
  const of = before.findIndex((token) => token.lower === 'of' || token.lower === 'for');
  return of > 0 && ORG_SUFFIXES.has(before[of - 1]?.lower ?? '');
};

/** Particles that belong to a person's name: "Omar bin Faisal", "Ruud van der Berg", "Marta da Silva". */
export const NAME_PARTICLES = new Set(
  [...CONNECTORS].filter((word) => !['of', 'the', 'for', 'and', '&'].includes(word)),
);

/** "Al Jazeera", "La Liga", "Van der Berg said": a capitalised article or particle that starts a name stays. */
const LEADING_PARTICLES = new Set([
  'al',
  'el',
  'la',
  'le',
  'los',
  'las',
  'les',
  'de',
  'da',
  'du',
  'van',
  'von',
  'dos',
]);
const keepsLead = (run: Token[], at: number): boolean => {
  const token = run[at];
  return token?.capitalised === true && LEADING_PARTICLES.has(token.lower) && run[at + 1] !== undefined;
};

export const trimConnectors = (run: Token[]): Token[] => {
  let start = 0;
  let end = run.length;
  while (
    start < end &&
    !keepsLead(run, start) &&
    (CONNECTORS.has(run[start]?.lower ?? '') || !run[start]?.capitalised)
  )
    start++;
  while (end > start && (CONNECTORS.has(run[end - 1]?.lower ?? '') || !isPart(run[end - 1]))) end--;
  return run.slice(start, end);
};

/** The word that names the kind of thing: before "of"/"for" ("Bank of England"), else the last word. */
export const headWord = (tokens: Token[]): string => {
  const connector = tokens.findIndex((token) => token.lower === 'of' || token.lower === 'for');
  return (connector > 0 ? tokens[connector - 1] : tokens.at(-1))?.lower ?? '';
};

/** Titles a peer keeps in front of the name: "Lord Falconer" is how the peer is known. */
export const PEERAGE = new Set(['lord', 'lady', 'baroness', 'baron', 'viscount', 'viscountess']);

/**
 * "Anne Thompson of the Hollywood Reporter" is two names; "Bank of England", "Secretary of State" and
 * "Statue of Liberty" are one, told apart by the word before "of".
 */
export const splitOnOf = (run: Token[], keepWhole: (lower: string) => boolean): Token[][] => {
  const at = run.findIndex((token) => token.lower === 'of');
  if (at <= 0) return [run];
  // "Lord Ashby of Kendrick": a peer's title names a place but is one name.
  if (at === 2 && PEERAGE.has(run[0]?.lower ?? '') && run[at + 1]?.capitalised) return [run];
  const head = run[at - 1]?.lower ?? '';
  const joined = run.map((token) => token.lower).join(' ');
  // "Residents of Al Khobar", "Fishermen of Masinloc": people of a place are not part of its name.
  if (at === 1 && PEOPLE_OF.test(head)) return [run.slice(at + 1)];
  // "Marine Le Pen of the National Rally": a person of a known body is two names, whatever the surname means.
  const rest = trimConnectors(run.slice(at + 1));
  const restLower = rest.map((token) => token.lower).join(' ');
  const restIsBody = keepWhole(restLower) || ORG_SUFFIXES.has(rest.at(-1)?.lower ?? '');
  if (
    at >= 2 &&
    FIRST_NAMES.has(run[0]?.lower ?? '') &&
    !TITLE_WORDS.has(run[0]?.lower ?? '') &&
    restIsBody
  ) {
    return [run.slice(0, at), run.slice(at + 1)];
  }
  const oneName =
    keepWhole(joined) ||
    ORG_SUFFIXES.has(head) ||
    PLACE_SUFFIXES.has(head) ||
    TITLE_WORDS.has(head) ||
    COMMON_WORDS.has(head);
  return oneName ? [run] : [run.slice(0, at), run.slice(at + 1)];
};

const PEOPLE_OF =
  /^(?:residents|people|citizens|inhabitants|fishermen|farmers|villagers|workers|families|voters|mayor|governor|outskirts|streets|suburbs)$/;

/** "Scotland-born", "Paris-based", "Janet Jackson-style": the name without its adjective ending. */
export const ADJECTIVAL =
  /-(?:type|based|born|led|backed|owned|made|era|like|related|linked|bound|listed|run|style|winning|bred|funded|controlled|registered|headquartered)$/i;

export const stripAdjectival = (span: Token[]): Token[] => {
  const last = span.at(-1);
  const match = last ? ADJECTIVAL.exec(last.text) : null;
  if (!last || !match) return span;
  const text = last.text.slice(0, match.index);
  return [...span.slice(0, -1), { ...last, text, lower: text.toLowerCase(), end: last.start + text.length }];
};
