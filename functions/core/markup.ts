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

const BLOCK_TAGS = new Set(
  'p|div|br|h1|h2|h3|h4|h5|h6|li|ul|ol|tr|table|section|article|blockquote|pre|hr|main|figure|dd|dt'.split(
    '|',
  ),
);
/** Elements dropped with their content: code, styling and page chrome around the article. */
const DROPPED_TAGS = new Set(
  'script|style|noscript|template|svg|nav|header|footer|aside|head|title'.split('|'),
);
const TAG_NAME = /^<\/?([a-zA-Z][a-zA-Z0-9]*)/;

/** Text inside the first <name>...</name>, without its tags; null when absent. */
const firstElementText = (html: string, lower: string, name: string): string | null => {
  const open = lower.indexOf(`<${name}`);
  if (open < 0) return null;
  const start = lower.indexOf('>', open);
  const end = start < 0 ? -1 : lower.indexOf(`</${name}`, start);
  if (end < 0) return null;
  return scan(html.slice(start + 1, end), lower.slice(start + 1, end));
};

/**
 * One pass over the markup, every search moving forward, so time stays linear on hostile input (unclosed
 * comments, a million "<"): block elements become paragraph breaks, dropped elements vanish with their content.
 */
const scan = (html: string, lower: string): string => {
  const parts: string[] = [];
  const unclosed = new Set<string>();
  let at = 0;
  while (at < html.length) {
    const lt = html.indexOf('<', at);
    if (lt < 0) break;
    parts.push(html.slice(at, lt));
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      at = end < 0 ? html.length : end + 3;
      continue;
    }
    const gt = html.indexOf('>', lt + 1);
    if (gt < 0) break;
    if (html[lt + 1] === '!' || html[lt + 1] === '?') {
      // <!DOCTYPE ...>, <![CDATA[...]> and <?xml ...?> declarations carry no text.
      at = gt + 1;
      continue;
    }
    const name = TAG_NAME.exec(html.slice(lt, Math.min(gt + 1, lt + 40)))?.[1]?.toLowerCase();
    if (!name) {
      parts.push('<');
      at = lt + 1;
      continue;
    }
    at = gt + 1;
    if (DROPPED_TAGS.has(name) && html[lt + 1] !== '/' && !unclosed.has(name)) {
      const close = lower.indexOf(`</${name}`, at);
      if (close < 0) unclosed.add(name);
      else {
        const closeEnd = html.indexOf('>', close);
        at = closeEnd < 0 ? html.length : closeEnd + 1;
      }
    }
    parts.push(BLOCK_TAGS.has(name) ? '\n\n' : ' ');
  }
  parts.push(html.slice(at));
  return parts.join('');
};

const stripHtml = (html: string): string => {
  const lower = html.toLowerCase();
  const h1 = firstElementText(html, lower, 'h1');
  const title = firstElementText(html, lower, 'title');
  let body = html;
  let bodyLower = lower;
  // The h1 becomes the headline line; removing it from the body keeps it from repeating as a paragraph.
  if (h1 !== null) {
    const open = lower.indexOf('<h1');
    const close = lower.indexOf('</h1', open);
    const closeEnd = lower.indexOf('>', close);
    body = `${html.slice(0, open)}\n\n${html.slice(closeEnd + 1)}`;
    bodyLower = body.toLowerCase();
  }
  const lines = [h1 ?? title ?? '', scan(body, bodyLower)].map((part) =>
    decodeEntities(part).replace(/[ \t\r\f\v]+/g, ' '),
  );
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
  // Bounded pattern and sample: counting tags must stay cheap on hostile input.
  const tags = trimmed.slice(0, 20_000).match(/<\/?[a-z][a-z0-9]*\b[^<>]{0,300}>/gi)?.length ?? 0;
  if (HTML_START.test(trimmed) || tags >= 5) {
    return { kind: 'html', text: stripHtml(text), warning: `removed HTML markup (${tags}+ tags)` };
  }
  return { kind: 'plain', text };
};
