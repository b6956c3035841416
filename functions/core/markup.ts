/**
 * Structured uploads. Choices, also in the README:
 * - JSON (an object or array that parses) and XML feeds/documents are rejected as `unsupported-format`: their
 *   prose lives in fields whose names we cannot know, and guessing would invent an article.
 * - HTML is cleaned, with a warning: a saved web page is an article with markup around it, and a user who
 *   uploads one expects the article. Scripts, styles and page chrome (nav, header, footer, aside) are dropped,
 *   block elements become paragraph breaks, entities are decoded, and a <title> or <h1> becomes the headline line.
 */
export type MarkupOutcome =
  | { kind: 'plain'; text: string }
  | { kind: 'html'; text: string; warning: string }
  | { kind: 'unsupported'; detail: string };

const looksLikeJson = (trimmed: string): boolean => {
  const first = trimmed[0];
  if (first !== '{' && first !== '[') return false;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    return typeof parsed === 'object' && parsed !== null;
  } catch {
    return false;
  }
};

const HTML_START = /^(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<!--)/i;
const XML_START = /^(?:<\?xml|<rss[\s>]|<feed[\s>]|<urlset[\s>])/i;
const BLOCK_TAG = /<\/?(?:p|div|br|h[1-6]|li|ul|ol|tr|table|section|article|blockquote|pre|hr)\b[^>]*>/gi;

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  pound: '£',
  euro: '€',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  copy: '©',
};

export const decodeEntities = (text: string): string =>
  text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });

const stripHtml = (html: string): string => {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const h1 = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html)?.[1];
  let body = html
    .replace(/<(script|style|noscript|template|svg|nav|header|footer|aside|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ');
  // The h1 becomes the headline line; removing it from the body keeps it from repeating as a paragraph.
  if (h1 !== undefined) body = body.replace(/<h1[^>]*>[\s\S]*?<\/h1>/i, ' ');
  body = body.replace(BLOCK_TAG, '\n\n').replace(/<[^>]*>/g, ' ');
  const headline = (h1 ?? title ?? '').replace(/<[^>]*>/g, ' ');
  const lines = [headline, body].map((part) => decodeEntities(part).replace(/[ \t\r\f\v]+/g, ' '));
  return lines
    .join('\n\n')
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter((block) => block.length > 0)
    .join('\n\n');
};

export const handleMarkup = (text: string): MarkupOutcome => {
  const trimmed = text.trimStart();
  if (looksLikeJson(trimmed.trimEnd())) {
    return { kind: 'unsupported', detail: 'the file is JSON; upload the article text itself' };
  }
  if (XML_START.test(trimmed)) {
    return {
      kind: 'unsupported',
      detail: 'the file is XML (a feed or document); upload the article text itself',
    };
  }
  const tags = trimmed.slice(0, 20_000).match(/<\/?[a-z][a-z0-9]*\b[^>]*>/gi)?.length ?? 0;
  if (HTML_START.test(trimmed) || tags >= 5) {
    return { kind: 'html', text: stripHtml(text), warning: `removed HTML markup (${tags}+ tags)` };
  }
  return { kind: 'plain', text };
};
