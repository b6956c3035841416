/**
 * Clues in the words around a quote that tell who speaks, independent of entity extraction: whether a name is
 * the subject of its clause, a name written right after a quote, a speaker named only by a description.
 */
import { SPEECH_VERBS } from './lexicon';

/**
 * A name after one of these is the object of a phrase ("told BBC Radio Kent", "to Wang"), not a speaker. "by" is
 * not one: the agent of a passive ('was welcomed by David Willetts. "...," he said') is usually who speaks next.
 */
const OBJECT_PREPOSITIONS = new Set(
  'to|with|for|about|against|from|of|at|on|in|into|over|under|between|among|towards|told'.split('|'),
);
/** Words that may stand between a preposition and the name it governs, beyond the five looked at: "to Mr Smith". */
const SKIPPED_BEFORE_NAME = new Set(
  'the|a|an|his|her|their|its|our|mr|mrs|ms|miss|dr|sir|lord|lady|dame|baroness|prof|professor|councillor|senator'.split(
    '|',
  ),
);

/**
 * A name that can be the subject of a speech verb: not a possessive ("On Mrs Howard's role, Mr Fox said"), not
 * the object of a preposition or of a verb ("Speaking to Wang, Shoigu stressed"; "Smith praised Jones, saying").
 */
export const isSubjectLike = (paragraph: string, start: number, end: number): boolean => {
  if (/^['’]s?\b/.test(paragraph.slice(end, end + 3))) return false;
  // The words since the last punctuation mark: 'for brilliant young forward Sonny Bill Williams' is an object,
  // but 'Director of rugby Warren Gatland' is a title (a capitalised word right before the preposition).
  const clause =
    paragraph
      .slice(Math.max(0, start - 60), start)
      .split(/[,;:.!?"“”()]/)
      .at(-1) ?? '';
  const preceding = clause.match(/[\p{L}\p{N}'’-]+/gu) ?? [];
  for (let at = preceding.length - 1, seen = 0; at >= 0 && seen < 5; at--) {
    const word = (preceding[at] ?? '').toLowerCase();
    if (OBJECT_PREPOSITIONS.has(word)) return seen === 0 ? false : !/^\p{Ll}/u.test(preceding[at - 1] ?? 'x');
    if (!SKIPPED_BEFORE_NAME.has(word)) seen++;
  }
  return true;
};

const NAME_WORD = String.raw`\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}?[\p{Ll}'’]+)*`;
const TITLE = String.raw`(?:Mr|Mrs|Ms|Miss|Dr|Sir|Lord|Lady|Dame|Prof)\.?\s+`;
const SPEECH_WORD = [...SPEECH_VERBS].join('|');
const NAME_AFTER_QUOTE = new RegExp(
  String.raw`^\s*(?:${TITLE})?(${NAME_WORD}(?:\s+${NAME_WORD}){1,3})(?=\s*,|\s+(?:${SPEECH_WORD})\b)`,
  'u',
);
const NOT_A_NAME_START = /^(?:The|A|An|This|That|These|Those|But|And|Some|Many|Officials|Police)\b/;

/**
 * '"...," Jean-Luc Marchetti, a spokesman for AGFU, told local radio': a run of two to four capitalised words
 * right after the quote, followed by a comma or a speech verb, is the speaker even when entity extraction did not
 * type it as a person.
 */
export const nameAfterQuote = (rest: string): string | null => {
  const match = NAME_AFTER_QUOTE.exec(rest);
  const name = match?.[1];
  return name && !NOT_A_NAME_START.test(name) ? name : null;
};

const NAME_BEFORE_VERB = new RegExp(
  String.raw`(?:^|,)\s*(?:${TITLE})?(${NAME_WORD}(?:\s+${NAME_WORD}){1,3}),?\s+(?:${SPEECH_WORD})\b`,
  'u',
);

/** '"...," Hanjin's European president, Sung-min Park, told...': a name set off just before the verb. */
export const nameBeforeVerb = (window: string): string | null => {
  const name = NAME_BEFORE_VERB.exec(window)?.[1];
  return name && !NOT_A_NAME_START.test(name) ? name : null;
};

/** "said the 24-year-old", "the striker added": a speaker named only by what they are. */
const DESCRIPTION =
  /\bthe\s+(?:[\p{L}\p{N}-]+\s+){0,3}?(?:\d+-year-old|veteran|striker|midfielder|defender|winger|forward|goalkeeper|keeper|captain|coach|manager|boss|player|singer|actor|actress|star|rapper|musician|director|chairman|chairwoman|economist|analyst|professor|mp|minister|secretary|chancellor|mayor|senator|author|novelist|founder|champion|entrepreneur|businessman|businesswoman|former\s+\p{L}+)(?!['’]s)\b/iu;

export const namesByDescription = (text: string): boolean => DESCRIPTION.test(text);
