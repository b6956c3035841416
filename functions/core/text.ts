/**
 * Text cleaning that keeps the author's wording: Unicode NFC, one kind of line ending, one kind of space,
 * no invisible characters. Quotes, dashes and spelling are left exactly as written.
 */
export const cleanText = (raw: string): string =>
  raw
    .replace(/\r\n?|\u2028|\u2029|\u0085/g, '\n')
    .normalize('NFC')
    // Zero-width characters and soft hyphens are invisible and break word matching.
    .replace(/[\u200b-\u200d\u2060\ufeff\u00ad]/g, '')
    .replace(/[\t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .replace(/ *\n */g, '\n');

/** Collapses a block's internal line breaks (hard-wrapped text) into single spaces. */
export const joinLines = (block: string): string => block.replace(/\s*\n\s*/g, ' ').trim();

const WORD = /[\p{L}\p{N}]+(?:['’.\-&][\p{L}\p{N}]+)*/gu;

export const countWords = (text: string): number => text.match(WORD)?.length ?? 0;

export const words = (text: string): string[] => text.match(WORD) ?? [];

/** Abbreviations after which a full stop does not end a sentence. */
const ABBREVIATIONS = new Set(
  'mr mrs ms dr prof st sr jr gen col capt lt sgt rev sen rep gov no vs etc inc ltd co corp u.s u.k e.g i.e jan feb mar apr jun jul aug sep sept oct nov dec'.split(
    ' ',
  ),
);

export type Sentence = { text: string; start: number };

/** Splits a paragraph into sentences at . ! ? followed by a capital, a quote or a digit. */
export const splitSentences = (paragraph: string, limit = Number.POSITIVE_INFINITY): Sentence[] => {
  const sentences: Sentence[] = [];
  let start = 0;
  const boundary = /([.!?]+["”’')\]]*)\s+(?=["“‘'([]?[\p{Lu}\p{N}])/gu;
  for (const match of paragraph.matchAll(boundary)) {
    const end = (match.index ?? 0) + (match[1]?.length ?? 0);
    // Only the last few characters matter, and looking no further keeps this linear on "A. A. A. ...".
    const before = paragraph.slice(Math.max(start, (match.index ?? 0) - 24), match.index ?? 0);
    const lastWord = /([\p{L}.]+)$/u.exec(before)?.[1]?.toLowerCase() ?? '';
    // "Mr. Smith", "U.S. troops" and initials ("J. Smith") are not sentence ends.
    if (match[1] === '.' && (ABBREVIATIONS.has(lastWord.replace(/\.$/, '')) || /^\p{L}$/u.test(lastWord))) {
      continue;
    }
    sentences.push({ text: paragraph.slice(start, end), start });
    if (sentences.length >= limit) return sentences;
    start = end + (match[0].length - (match[1]?.length ?? 0));
  }
  if (start < paragraph.length) sentences.push({ text: paragraph.slice(start), start });
  return sentences;
};
