import {
  COMMON_WORDS,
  CORE_TITLES,
  DEMONYMS,
  FEMALE_HONORIFICS,
  FIRST_NAMES,
  FUNCTION_WORDS,
  HONORIFICS,
  LAST_NAMES,
  MALE_HONORIFICS,
  NEWSPAPERS,
  ORG_SUFFIXES,
  ORGANIZATIONS,
  PLACE_SUFFIXES,
  PLACES,
  TITLE_WORDS,
} from '../lexicon';
import { splitDescription } from './descriptions';
import {
  buildRuns,
  CONNECTORS,
  headWord,
  isInitial,
  PEERAGE,
  splitOnAnd,
  splitOnOf,
  stripAdjectival,
  trimConnectors,
} from './runs';
import type { Token } from './tokenize';

export { ADJECTIVAL, headWord } from './runs';

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

/**
 * A candidate made outside the prose scan (a line-up entry, a dateline): no neighbouring words, no title, no
 * sentence start, so the classifier judges it by its tokens and the votes its maker adds.
 */
export const bareCandidate = (
  tokens: Token[],
  text: string,
  paragraph: number,
  start: number,
  end: number,
): Candidate => ({
  tokens,
  text,
  lower: text.toLowerCase(),
  paragraph,
  start,
  end,
  previous: '',
  next: '',
  titled: false,
  gender: null,
  sentenceStart: false,
  punctAfter: '',
});

const POST_NOMINALS = new Set(['MP', 'MEP', 'MSP', 'AM', 'MLA', 'QC', 'KC', 'TD']);

const isSurname = (token: Token | undefined): boolean =>
  token?.capitalised === true &&
  !PLACES.has(token.lower) &&
  !ORGANIZATIONS.has(token.lower) &&
  (LAST_NAMES.has(token.lower) || !COMMON_WORDS.has(token.lower));

type Trimmed = { tokens: Token[]; titled: boolean; gender: 'male' | 'female' | null; prefix: Token[] };

/**
 * Removes what is not part of a name: sentence-start function words ("But Beijing"), leading demonyms
 * ("Russian Irina Shevchenko") and titles ("Chinese President Xi Jinping" -> "Xi Jinping").
 */
const trimRun = (run: Token[]): Trimmed | null => {
  let tokens = run;
  const isFunctionWord = (token: Token | undefined, index: number): boolean =>
    token !== undefined &&
    FUNCTION_WORDS.has(token.lower) &&
    !HONORIFICS.has(token.lower) &&
    // "US" and "WHO" are names even though "us" and "who" are function words.
    (token.text.length === 1 || token.text !== token.text.toUpperCase()) &&
    // "Will Harding", "May Lennox": a first name that is also a word, before a surname.
    !(FIRST_NAMES.has(token.lower) && tokens.length === 2 && index === 0 && isSurname(tokens[1])) &&
    // "The Times" written so mid-sentence is the paper's name.
    !(index === 0 && !token.sentenceStart && NEWSPAPERS.has(tokens.map((t) => t.lower).join(' '))) &&
    // "The Hague", "The Gambia": a place whose name begins with the article.
    !(index === 0 && PLACES.has(tokens.map((t) => t.lower).join(' '))) &&
    // "Second Thomas Shoal": an ordinal that starts a sea or land feature's name.
    !(index === 0 && tokens.length >= 3 && PLACE_SUFFIXES.has(tokens.at(-1)?.lower ?? ''));
  while (tokens.length > 0 && isFunctionWord(tokens[0], 0)) {
    tokens = trimConnectors(tokens.slice(1));
  }
  if (tokens.length === 0) return null;
  let titled = false;
  let gender: 'male' | 'female' | null = null;
  let prefix: Token[] = [];
  // "Gavin Royle MP", "Jane Doe QC": the letters after a name say what she is; they are not part of it.
  const after = tokens.at(-1);
  if (tokens.length >= 3 && after && POST_NOMINALS.has(after.text)) {
    tokens = tokens.slice(0, -1);
    titled = true;
  }
  // "Lord Falconer", "Lord Ashby of Kendrick": how a peer is known, title and all.
  const peer = tokens[0]?.lower ?? '';
  const peerName = tokens[1]?.lower ?? '';
  const peerLike =
    (tokens.length === 2 || (tokens.length === 4 && tokens[2]?.lower === 'of')) &&
    !TITLE_WORDS.has(peerName) &&
    !CORE_TITLES.has(peerName);
  if (PEERAGE.has(peer) && peerLike) {
    const gender = FEMALE_HONORIFICS.has(peer) || peer.endsWith('ess') ? 'female' : 'male';
    return { tokens, titled: true, gender, prefix: [] };
  }
  const isOrg = ORG_SUFFIXES.has(headWord(tokens));
  if (!isOrg) {
    let lastTitle = -1;
    tokens.forEach((token, index) => {
      // "St Helens", "St Mirren": a saint's name is a place or a club, not a title and a person.
      const saint = token.lower === 'st' || token.lower === 'saint';
      if (TITLE_WORDS.has(token.lower) && !saint && index < tokens.length - 1) lastTitle = index;
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
    // "Russian Irina Shevchenko" loses the demonym; "Saudi Arabia" and "Saudi Press Agency" are names whole.
    const whole = tokens.map((token) => token.lower).join(' ');
    if (
      tokens.length > 1 &&
      DEMONYMS.has(tokens[0]?.lower ?? '') &&
      !PLACES.has(whole) &&
      !ORGANIZATIONS.has(whole)
    )
      tokens = trimConnectors(tokens.slice(1));
  }
  return tokens.length === 0 ? null : { tokens, titled, gender, prefix };
};

/**
 * The words of a span as written: "Marks & Spencer" keeps its ampersand, "P. Chidambaram" its full stop,
 * "Kenya Farmers’ Union" its apostrophe and "Republican People's Party" its possessive.
 */
const spanText = (span: Token[], word: (token: Token) => string): string =>
  span
    .map((token, i) => {
      if (i === span.length - 1) return word(token);
      if (token.punctAfter === '&') return `${word(token)} &`;
      if (token.possessive) return `${word(token)}${token.possessiveMark ?? "'s"}`;
      if (token.punctAfter === '.' && isInitial(token)) return `${word(token)}.`;
      if (token.punctAfter === "'" || token.punctAfter === '’') return `${word(token)}${token.punctAfter}`;
      return word(token);
    })
    .join(' ');

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
    const text = spanText(span, (token) => token.text);
    return {
      tokens: span,
      text,
      lower: spanText(span, (token) => token.lower),
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
      // "The Times" mid-sentence keeps its article; any other leading "the" goes.
      const whole = part.map((token) => token.lower).join(' ');
      const paper = (!part[0]?.sentenceStart && NEWSPAPERS.has(whole)) || PLACES.has(whole);
      const trimmed = trimRun(paper ? part : trimConnectors(part));
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
