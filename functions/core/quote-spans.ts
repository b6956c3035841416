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
