export type Span = { start: number; end: number; paragraph: number; text: string };

const OPENERS = new Set(['“', '"']);

/**
 * Double-quoted spans of one paragraph. A straight quote opens after a space, bracket or dash, or after
 * a colon when no quote is open (`said:"Training is cancelled."`), and closes otherwise. News copy often opens a new quote without closing the
 * last ("...26 weeks. "We are going..."): an opening quote inside an open one ends the first there, and a quote
 * still open at the paragraph end runs to it.
 */
export const findQuoteSpans = (paragraph: string, index: number): Span[] => {
  const spans: Span[] = [];
  let open = -1;
  const close = (end: number): void => {
    const raw = paragraph.slice(open + 1, end);
    const text = raw.trim().replace(/,$/, '').trim();
    if (text) spans.push({ start: open, end, paragraph: index, text });
    open = -1;
  };
  for (let i = 0; i < paragraph.length; i++) {
    const char = paragraph[i] ?? '';
    if (char !== '"' && char !== '“' && char !== '”') continue;
    const before = i === 0 ? ' ' : (paragraph[i - 1] ?? ' ');
    const afterColon = before === ':' && open < 0;
    const opening = char === '“' || (char === '"' && (/[\s([{—–-]/.test(before) || afterColon));
    if (opening && OPENERS.has(char)) {
      if (open >= 0) close(i);
      open = i;
    } else if (open >= 0) {
      close(i);
    }
  }
  if (open >= 0) close(paragraph.length);
  return spans;
};

/** How far from a quote its attribution may be, in characters: bounds the work on huge paragraphs. */
export const WINDOW = 400;

/** Index of the first item whose key is >= `key` (items sorted by key). */
export const lowerBound = <T>(items: readonly T[], key: (item: T) => number, value: number): number => {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (key(items[middle] as T) < value) low = middle + 1;
    else high = middle;
  }
  return low;
};

export const byParagraph = <T extends { paragraph: number }>(items: readonly T[]): Map<number, T[]> => {
  const map = new Map<number, T[]>();
  for (const item of items) {
    const list = map.get(item.paragraph) ?? [];
    list.push(item);
    map.set(item.paragraph, list);
  }
  return map;
};

/** Start of the sentence holding `at`: after the last . ! ? followed by a space, within WINDOW characters. */
export const sentenceStartBefore = (paragraph: string, at: number): number => {
  const base = Math.max(0, at - WINDOW);
  const head = paragraph.slice(base, at);
  let found = -1;
  // An initial's full stop ("R.K. Menon", "Ramon D. Alcaraz") does not end a sentence.
  for (const match of head.matchAll(
    /(?<!(?:^|[\s.])\p{Lu}|\b(?:Dr|Mr|Mrs|Ms|Prof|St|Gen|Col|Lt|Sgt|Capt|Rev|Sen|Rep|Gov))[.!?]["”’')]*\s+/gu,
  )) {
    found = (match.index ?? 0) + match[0].length;
  }
  return found < 0 ? base : base + found;
};
