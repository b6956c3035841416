/** A word of a paragraph with what the entity finder needs to know about its surroundings. */
export type Token = {
  /** The word without a possessive ending ("Russia's" -> "Russia"). */
  text: string;
  lower: string;
  start: number;
  end: number;
  capitalised: boolean;
  /** Capitalisation here says nothing: first word of a sentence, quote or heading. */
  sentenceStart: boolean;
  possessive: boolean;
  /** The possessive ending as written ("'s" or "’s"), when there is one. */
  possessiveMark?: string;
  /** Punctuation between this word and the next one ("", ",", ".", "(", ...), spaces removed. */
  punctAfter: string;
};

// "Canal+", "Disney+": a trailing plus is part of the name.
const WORD = /[\p{L}\p{M}\p{N}]+(?:[-'’.&][\p{L}\p{M}\p{N}]+)*(?:\+(?![\p{L}\p{M}\p{N}]))?/gu;
const POSSESSIVE = /['’]s$/u;
const CAPITAL = /^\p{Lu}/u;
/** "al-Mutairi", "el-Sisi", "bin-Salman": an Arabic surname behind a lower-case particle is still a name. */
const PARTICLE_NAME = /^(?:al|el|ad|ar|as|ash|at|az|an|ul|bin|ibn|bint|abu|abd)-\p{Lu}/u;

export const tokenize = (text: string): Token[] => {
  const tokens: Token[] = [];
  let previousEnd = 0;
  for (const match of text.matchAll(WORD)) {
    const start = match.index ?? 0;
    let word = match[0];
    const between = text.slice(previousEnd, start);
    const gap = between.replace(/\s+/g, '');
    const previous = tokens.at(-1);
    if (previous) previous.punctAfter = gap;
    const sentenceStart = previous === undefined || /[.!?:;"“‘([—–-]$/.test(gap) || /[.!?]["”’)]?$/.test(gap);
    const possessive = POSSESSIVE.test(word);
    const mark = word.slice(-2);
    if (possessive) word = word.slice(0, -2);
    tokens.push({
      text: word,
      lower: word.toLowerCase(),
      start,
      end: start + word.length,
      capitalised: CAPITAL.test(word) || PARTICLE_NAME.test(word),
      sentenceStart,
      possessive,
      ...(possessive ? { possessiveMark: mark } : {}),
      punctAfter: '',
    });
    previousEnd = start + match[0].length;
  }
  const last = tokens.at(-1);
  if (last) last.punctAfter = text.slice(previousEnd).replace(/\s+/g, '');
  return tokens;
};
