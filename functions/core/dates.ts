import type { ParsedResult } from 'chrono-node/en';
import * as chrono from 'chrono-node/en';
import type { ResolvedDate } from './article';

const WEEKDAY_MS = 24 * 60 * 60 * 1000;
/** Previews of the coming weeks are common; a yearless date further ahead than this is taken as last year's. */
const NEAR_FUTURE_MS = 60 * WEEKDAY_MS;
/** Words chrono reads as dates that say nothing dated: "now", "six weeks after" (after what?). */
const NOISE = /^(?:now|right now|currently|at present)$|\b(?:after|later|before|earlier)$/i;
/**
 * chrono reads weekday abbreviations in any case, so "he sat down", "the sun rose" and "they wed" became dates.
 * News prose capitalises weekdays; a lower-case abbreviation standing alone is the ordinary word.
 */
const WORD_NOT_WEEKDAY = /^(?:on\s+)?(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)$/;
const BARE_YEAR = /\b(?:in|since|by|until|from|during|of|before|after) ((?:1[89]|20)\d{2})\b(?![-/.]?\d)/gi;
const MONTH_PREPOSITION =
  /\b(?:in|since|by|until|from|during|last|next|early|late|mid|of|before|after|this)\s+$/;

/**
 * chrono's cost grows faster than linearly with the length of its input, so a paragraph longer than this is
 * fed to it in pieces cut at sentence ends (or whitespace). 2 KB keeps a 1 MiB paragraph well under a second.
 */
export const MAX_CHRONO_CHARS = 2048;
/** Distinct dates kept per article; a real report mentions a handful, and a list of hundreds helps nobody. */
export const MAX_DATES = 50;
/**
 * Date mentions examined per article (repeats included). Bounds the work on a file that says "on Tuesday" a
 * hundred thousand times, where the distinct-date cap alone would never be reached.
 */
export const MAX_DATE_MENTIONS = 500;

const iso = (date: Date): string => date.toISOString().slice(0, 10);

type Found = ResolvedDate & { index: number; end: number };
/** Where `text` starts in the paragraph, and the share [from, to) of the paragraph this piece answers for. */
type Piece = { text: string; offset: number; from: number; to: number };
/**
 * Each piece also shows chrono this much of its neighbours, cut at a space: after, so that a date cut by the
 * boundary ("last | Friday") is seen whole; before, because chrono reads a bare "May" only after "in".
 * A result is taken from the piece whose share it starts in.
 */
const CONTEXT_CHARS = 128;

const isSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13) || code === 0xa0;

/** Where to end a piece that starts at `start`: after the last sentence end, else the last space, in reach. */
const cutPoint = (text: string, start: number): number => {
  const limit = start + MAX_CHRONO_CHARS;
  let space = -1;
  for (let at = limit; at > start + MAX_CHRONO_CHARS / 4; at -= 1) {
    if (!isSpace(text.charCodeAt(at))) continue;
    if (/[.!?]["'”’)]*$/.test(text.slice(Math.max(start, at - 4), at))) return at;
    if (space < 0) space = at;
  }
  if (space > 0) return space;
  // No space at all: cut anyway, but not between the halves of a surrogate pair.
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
};

/** The paragraph in pieces chrono can afford, each with its offset so indexes stay paragraph-relative. */
function* pieces(paragraph: string): Generator<Piece> {
  if (paragraph.length <= MAX_CHRONO_CHARS) {
    yield { text: paragraph, offset: 0, from: 0, to: paragraph.length };
    return;
  }
  for (let from = 0; from < paragraph.length; ) {
    const to = paragraph.length - from > MAX_CHRONO_CHARS ? cutPoint(paragraph, from) : paragraph.length;
    // The context ends at a space too, so it never shows chrono half a word ("Tue" of "Tuesday").
    const behind = paragraph.slice(Math.max(0, from - CONTEXT_CHARS), from);
    const ahead = paragraph.slice(to, to + CONTEXT_CHARS);
    const first = from > CONTEXT_CHARS ? behind.search(/\s/) : 0;
    const offset = from - behind.length + Math.max(0, first);
    const last = ahead.search(/\s\S*$/);
    yield { text: paragraph.slice(offset, to + Math.max(0, last)), offset, from, to };
    from = to;
  }
}

/** One chrono result resolved against the published date, or null when it says nothing dated. */
const resolve = (
  result: ParsedResult,
  paragraph: string,
  index: number,
  reference: Date | null,
): Found | null => {
  const start = result.start;
  const text = result.text.replace(/[\s,;:.]+$/, '');
  const after = index + result.text.length;
  if (NOISE.test(text) || WORD_NOT_WEEKDAY.test(text) || /^['’]s\b/.test(paragraph.slice(after, after + 3)))
    return null;
  // A bare month name is often a word ("Theresa May", "the march"): keep it only after a date preposition.
  const before = paragraph.slice(Math.max(0, index - 12), index).toLowerCase();
  if (/^[A-Za-z]+$/.test(text) && start.isCertain('month') && !start.isCertain('day')) {
    if (!MONTH_PREPOSITION.test(before)) return null;
  }
  const relative = [...result.tags()].some((tag) => tag.includes('relative') || tag.includes('casual'));
  const hasYear = start.isCertain('year');
  if (!reference && (!hasYear || relative)) return null;
  if (!start.isCertain('day') && !start.isCertain('month') && !hasYear && !start.isCertain('weekday'))
    return null;
  let date = start.date();
  let precision: ResolvedDate['precision'] = start.isCertain('day')
    ? 'day'
    : start.isCertain('month')
      ? 'month'
      : 'year';
  if (reference && start.isCertain('weekday') && !start.isCertain('day')) {
    precision = 'day';
    const lower = text.toLowerCase();
    if (!/\b(?:next|this|coming)\b/.test(lower)) {
      const weekday = start.get('weekday') ?? 0;
      let back = (reference.getUTCDay() - weekday + 7) % 7;
      if (back === 0 && /\blast\b/.test(lower)) back = 7;
      date = new Date(reference.getTime() - back * WEEKDAY_MS);
    }
  } else if (reference && relative && /\b(?:today|yesterday|tomorrow|tonight)\b/i.test(text)) {
    precision = 'day';
  } else if (reference && !hasYear && !relative && date.getTime() > reference.getTime() + NEAR_FUTURE_MS) {
    date = new Date(Date.UTC(date.getUTCFullYear() - 1, date.getUTCMonth(), date.getUTCDate(), 12));
  }
  if (Number.isNaN(date.getTime())) return null;
  const day = iso(date);
  const value = precision === 'day' ? day : precision === 'month' ? day.slice(0, 7) : day.slice(0, 4);
  return { text, date: value, precision, index, end: index + text.length };
};

/**
 * Dates the article mentions, resolved against the published date. News reports the past, so a bare weekday
 * ("on Tuesday") is the latest such day on or before publication, "last Tuesday" the one before that, and a
 * day or month without a year ("in December") falls in the year up to publication (or the next 60 days). Without a
 * published date, relative expressions cannot be resolved and only dates with a year are kept.
 * At most MAX_DATES distinct dates, in order of first mention; reading stops there or after MAX_DATE_MENTIONS.
 */
export const extractDates = (paragraphs: readonly string[], publishedDate: string | null): ResolvedDate[] => {
  const reference = publishedDate ? new Date(`${publishedDate}T12:00:00Z`) : null;
  const kept: ResolvedDate[] = [];
  const seen = new Set<string>();
  let mentions = 0;
  const full = (): boolean => kept.length >= MAX_DATES || mentions >= MAX_DATE_MENTIONS;
  const keep = ({ text, date, precision }: Found): void => {
    mentions += 1;
    const key = `${text.toLowerCase()}|${date}`;
    if (seen.has(key)) return;
    seen.add(key);
    kept.push({ text, date, precision });
  };

  for (const paragraph of paragraphs) {
    if (full()) break;
    // Spans chrono found in this paragraph, in order: a bare year inside or touching one is already counted.
    const spans: Found[] = [];
    // End of the last result chrono read, so a piece skips what the previous one's lookahead already covered.
    let covered = 0;
    for (const piece of pieces(paragraph)) {
      if (full()) break;
      const results = chrono.parse(
        piece.text,
        { instant: reference ?? new Date(0), timezone: 0 },
        { forwardDate: false },
      );
      for (const result of results) {
        const index = piece.offset + result.index;
        if (index < covered || index < piece.from || index >= piece.to) continue;
        covered = index + result.text.length;
        const found = resolve(result, paragraph, index, reference);
        if (!found) continue;
        spans.push(found);
        keep(found);
        if (full()) break;
      }
    }
    spans.sort((a, b) => a.index - b.index);
    // Bare-year matches come in ascending order, so one sweep over the sorted spans finds every overlap.
    let next = 0;
    let reach = -1;
    for (const match of paragraph.matchAll(BARE_YEAR)) {
      if (full()) break;
      const index = match.index ?? 0;
      const end = index + match[0].length;
      for (; next < spans.length && (spans[next]?.index ?? 0) <= end; next += 1)
        reach = Math.max(reach, spans[next]?.end ?? -1);
      if (reach >= index) continue;
      keep({ text: match[0], date: match[1] ?? '', precision: 'year', index, end });
    }
  }
  return kept;
};
