import {
  COMMON_WORDS,
  CORE_TITLES,
  DEMONYMS,
  FEMALE_HONORIFICS,
  FIRST_NAMES,
  FUNCTION_WORDS,
  HONORIFICS,
  MALE_HONORIFICS,
  ORG_SUFFIXES,
  ORGANIZATIONS,
  PLACE_SUFFIXES,
  ROLE_NOUNS,
  TITLE_WORDS,
} from '../lexicon';
import type { Token } from './tokenize';

/** One capitalised span in the text, after titles, demonyms and sentence-start words are trimmed off. */
export type Candidate = {
  tokens: Token[];
  text: string;
  lower: string;
  paragraph: number;
  start: number;
  end: number;
  /** Lower-case word before the span (before any stripped title), "" at the start. */
  previous: string;
  /** Lower-case word after the span, "" at the end. */
  next: string;
  /** An honorific or job title stood right before the name ("President Xi", "Mr Parsons"). */
  titled: boolean;
  gender: 'male' | 'female' | null;
  /** Only capitalised because it starts a sentence. */
  sentenceStart: boolean;
  /** Punctuation right after the span, for "(SEC)" style abbreviations. */
  punctAfter: string;
};

const CONNECTORS = new Set([
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
  'al',
  'el',
  'y',
]);

const isCapital = (token: Token): boolean => token.capitalised;

/** Maximal runs of capitalised words joined by connectors ("Bank of England"); punctuation breaks a run. */
const buildRuns = (tokens: Token[]): Token[][] => {
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
      if (!current || current.possessive || ADJECTIVAL.test(current.text)) break;
      // "Mr." and "St." keep their full stop inside the run; any other punctuation ends it.
      const abbreviationDot =
        current.punctAfter === '.' && TITLE_WORDS.has(current.lower) && current.text.length <= 4;
      if (current.punctAfter !== '' && current.punctAfter !== '&' && !abbreviationDot) break;
      const next = tokens[j + 1];
      if (!next) break;
      if (isCapital(next)) {
        run.push(next);
        j++;
        continue;
      }
      // Connectors stay only when a capitalised word follows them: "Bank of England", not "Bank of the".
      let k = j + 1;
      const connectors: Token[] = [];
      while (k < tokens.length && CONNECTORS.has(tokens[k]?.lower ?? '') && tokens[k]?.punctAfter === '') {
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

/** Splits "Russia and China" into two runs; "Procter & Gamble" stays whole. */
const splitOnAnd = (run: Token[], keepWhole: (lower: string) => boolean): Token[][] => {
  const joined = run.map((token) => token.lower).join(' ');
  if (keepWhole(joined)) return [run];
  const parts: Token[][] = [[]];
  for (const token of run) {
    if (token.lower === 'and') parts.push([]);
    else parts.at(-1)?.push(token);
  }
  return parts.filter((part) => part.length > 0);
};

const trimConnectors = (run: Token[]): Token[] => {
  let start = 0;
  let end = run.length;
  while (start < end && (CONNECTORS.has(run[start]?.lower ?? '') || !run[start]?.capitalised)) start++;
  while (end > start && (CONNECTORS.has(run[end - 1]?.lower ?? '') || !run[end - 1]?.capitalised)) end--;
  return run.slice(start, end);
};

/** The word that names the kind of thing: before "of"/"for" ("Bank of England"), else the last word. */
export const headWord = (tokens: Token[]): string => {
  const connector = tokens.findIndex((token) => token.lower === 'of' || token.lower === 'for');
  return (connector > 0 ? tokens[connector - 1] : tokens.at(-1))?.lower ?? '';
};

const isRole = (token: Token): boolean =>
  ROLE_NOUNS.has(token.lower) || ROLE_NOUNS.has(token.lower.replace(/s$/, ''));

/**
 * "Liberal Democrat David Laws", "Tory Edward Turnour", "Comedian Chris Morris": a party, organisation or role
 * written before a name. The description is split off (an organisation is kept as its own candidate).
 */
const splitDescription = (tokens: Token[]): { name: Token[]; prefix: Token[]; titled: boolean } | null => {
  const first = tokens[0];
  if (tokens.length >= 3 && first?.sentenceStart && isRole(first)) {
    return { name: tokens.slice(1), prefix: [], titled: true };
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

/**
 * "Anne Thompson of the Hollywood Reporter" is two names; "Bank of England", "Secretary of State" and
 * "Statue of Liberty" are one, told apart by the word before "of".
 */
const splitOnOf = (run: Token[], keepWhole: (lower: string) => boolean): Token[][] => {
  const at = run.findIndex((token) => token.lower === 'of');
  if (at <= 0) return [run];
  const head = run[at - 1]?.lower ?? '';
  const joined = run.map((token) => token.lower).join(' ');
  const oneName =
    keepWhole(joined) ||
    ORG_SUFFIXES.has(head) ||
    PLACE_SUFFIXES.has(head) ||
    TITLE_WORDS.has(head) ||
    COMMON_WORDS.has(head);
  return oneName ? [run] : [run.slice(0, at), run.slice(at + 1)];
};

/** "Scotland-born", "Paris-based", "Janet Jackson-style": the name without its adjective ending. */
export const ADJECTIVAL =
  /-(?:type|based|born|led|backed|owned|made|era|like|related|linked|bound|listed|run|style|winning|bred|funded|controlled|registered|headquartered)$/i;

const stripAdjectival = (span: Token[]): Token[] => {
  const last = span.at(-1);
  const match = last ? ADJECTIVAL.exec(last.text) : null;
  if (!last || !match) return span;
  const text = last.text.slice(0, match.index);
  return [...span.slice(0, -1), { ...last, text, lower: text.toLowerCase(), end: last.start + text.length }];
};

type Trimmed = { tokens: Token[]; titled: boolean; gender: 'male' | 'female' | null; prefix: Token[] };

/**
 * Removes what is not part of a name: sentence-start function words ("But Beijing"), leading demonyms
 * ("Russian Irina Shevchenko") and titles ("Chinese President Xi Jinping" -> "Xi Jinping").
 */
const trimRun = (run: Token[]): Trimmed | null => {
  let tokens = run;
  const isFunctionWord = (token: Token | undefined): boolean =>
    token !== undefined &&
    FUNCTION_WORDS.has(token.lower) &&
    !HONORIFICS.has(token.lower) &&
    // "US" and "WHO" are names even though "us" and "who" are function words.
    (token.text.length === 1 || token.text !== token.text.toUpperCase());
  while (tokens.length > 0 && isFunctionWord(tokens[0])) {
    tokens = trimConnectors(tokens.slice(1));
  }
  if (tokens.length === 0) return null;
  let titled = false;
  let gender: 'male' | 'female' | null = null;
  let prefix: Token[] = [];
  const isOrg = ORG_SUFFIXES.has(headWord(tokens));
  if (!isOrg) {
    let lastTitle = -1;
    tokens.forEach((token, index) => {
      if (TITLE_WORDS.has(token.lower) && index < tokens.length - 1) lastTitle = index;
    });
    if (lastTitle >= 0) {
      const name = trimConnectors(tokens.slice(lastTitle + 1));
      const title = tokens[lastTitle]?.lower ?? '';
      // "Secretary of State for the Family" is a title only: what follows the title starts with a connector.
      if (name.length === 0 || CONNECTORS.has(tokens[lastTitle + 1]?.lower ?? '')) return null;
      titled = HONORIFICS.has(title) || CORE_TITLES.has(title);
      if (FEMALE_HONORIFICS.has(title)) gender = 'female';
      if (MALE_HONORIFICS.has(title)) gender = 'male';
      prefix = tokens.slice(0, lastTitle).filter((token) => !TITLE_WORDS.has(token.lower));
      tokens = name;
    } else if (tokens.length > 1 && CORE_TITLES.has(tokens.at(-1)?.lower ?? '')) {
      // A run ending in a title ("Foreign Secretary") names a job, not a person.
      return null;
    } else {
      const split = splitDescription(tokens);
      if (split) {
        titled = split.titled;
        prefix = split.prefix;
        tokens = split.name;
      }
    }
    if (tokens.length > 1 && DEMONYMS.has(tokens[0]?.lower ?? '')) tokens = trimConnectors(tokens.slice(1));
  }
  return tokens.length === 0 ? null : { tokens, titled, gender, prefix };
};

export const findCandidates = (
  tokens: Token[],
  paragraph: number,
  keepWhole: (lower: string) => boolean,
): Candidate[] => {
  const candidates: Candidate[] = [];
  const indexOf = new Map(tokens.map((token, index) => [token, index]));
  const make = (raw: Token[], titled: boolean, gender: Trimmed['gender']): Candidate | null => {
    const span = stripAdjectival(raw);
    const first = span[0];
    const last = span.at(-1);
    if (!first || !last) return null;
    const before = tokens[(indexOf.get(first) ?? 0) - 1];
    const after = tokens[(indexOf.get(last) ?? 0) + 1];
    return {
      tokens: span,
      // "Marks & Spencer": the ampersand is part of the name.
      text: span
        .map((token, i) => (i < span.length - 1 && token.punctAfter === '&' ? `${token.text} &` : token.text))
        .join(' '),
      lower: span
        .map((token, i) =>
          i < span.length - 1 && token.punctAfter === '&' ? `${token.lower} &` : token.lower,
        )
        .join(' '),
      paragraph,
      start: first.start,
      end: last.end,
      previous: before?.punctAfter === '' || before?.punctAfter === undefined ? (before?.lower ?? '') : '',
      next: last.punctAfter === '' ? (after?.lower ?? '') : '',
      titled,
      gender,
      sentenceStart: first.sentenceStart && span.length === 1,
      punctAfter: last.punctAfter,
    };
  };
  for (const run of buildRuns(tokens)) {
    for (const part of splitOnAnd(run, keepWhole).flatMap((piece) => splitOnOf(piece, keepWhole))) {
      const trimmed = trimRun(trimConnectors(part));
      if (!trimmed) continue;
      const candidate = make(trimmed.tokens, trimmed.titled, trimmed.gender);
      if (candidate) candidates.push(candidate);
      if (trimmed.prefix.length > 0) {
        const prefix = make(trimConnectors(trimmed.prefix), false, null);
        if (prefix && !DEMONYMS.has(prefix.lower)) candidates.push(prefix);
      }
    }
  }
  return candidates;
};
