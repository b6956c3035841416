import * as chrono from 'chrono-node/en';
import type { ResolvedDate } from './article';

const WEEKDAY_MS = 24 * 60 * 60 * 1000;
/** Previews of the coming weeks are common; a yearless date further ahead than this is taken as last year's. */
const NEAR_FUTURE_MS = 60 * WEEKDAY_MS;
/** Words chrono reads as dates that say nothing dated: "now", "six weeks after" (after what?). */
const NOISE = /^(?:now|right now|currently|at present)$|\b(?:after|later|before|earlier)$/i;
const BARE_YEAR = /\b(?:in|since|by|until|from|during|of|before|after) ((?:1[89]|20)\d{2})\b(?![-/.]?\d)/gi;

const iso = (date: Date): string => date.toISOString().slice(0, 10);

type Found = ResolvedDate & { index: number; end: number };

/**
 * Dates the article mentions, resolved against the published date. News reports the past, so a bare weekday
 * ("on Tuesday") is the latest such day on or before publication, "last Tuesday" the one before that, and a
 * day or month without a year ("in December") falls in the year up to publication (or the next 60 days). Without a
 * published date, relative expressions cannot be resolved and only dates with a year are kept.
 */
export const extractDates = (paragraphs: readonly string[], publishedDate: string | null): ResolvedDate[] => {
  const reference = publishedDate ? new Date(`${publishedDate}T12:00:00Z`) : null;
  const found: Found[] = [];
  for (const paragraph of paragraphs) {
    const results = chrono.parse(
      paragraph,
      { instant: reference ?? new Date(0), timezone: 0 },
      { forwardDate: false },
    );
    for (const result of results) {
      const start = result.start;
      const text = result.text.replace(/[\s,;:.]+$/, '');
      if (NOISE.test(text) || /^['’]s\b/.test(paragraph.slice(result.index + result.text.length))) continue;
      // A bare month name is often a word ("Theresa May", "the march"): keep it only after a date preposition.
      const before = paragraph.slice(Math.max(0, result.index - 12), result.index).toLowerCase();
      if (/^[A-Za-z]+$/.test(text) && start.isCertain('month') && !start.isCertain('day')) {
        if (
          !/\b(?:in|since|by|until|from|during|last|next|early|late|mid|of|before|after|this)\s+$/.test(
            before,
          )
        )
          continue;
      }
      const relative = [...result.tags()].some((tag) => tag.includes('relative') || tag.includes('casual'));
      const hasYear = start.isCertain('year');
      if (!reference && (!hasYear || relative)) continue;
      if (!start.isCertain('day') && !start.isCertain('month') && !hasYear && !start.isCertain('weekday'))
        continue;
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
      } else if (
        reference &&
        !hasYear &&
        !relative &&
        date.getTime() > reference.getTime() + NEAR_FUTURE_MS
      ) {
        date = new Date(Date.UTC(date.getUTCFullYear() - 1, date.getUTCMonth(), date.getUTCDate(), 12));
      }
      if (Number.isNaN(date.getTime())) continue;
      const day = iso(date);
      const value = precision === 'day' ? day : precision === 'month' ? day.slice(0, 7) : day.slice(0, 4);
      found.push({ text, date: value, precision, index: result.index, end: result.index + text.length });
    }
    for (const match of paragraph.matchAll(BARE_YEAR)) {
      const index = match.index ?? 0;
      if (found.some((other) => other.index <= index + match[0].length && other.end >= index)) continue;
      found.push({
        text: match[0],
        date: match[1] ?? '',
        precision: 'year',
        index,
        end: index + match[0].length,
      });
    }
  }
  const seen = new Set<string>();
  return found
    .filter((date) => {
      const key = `${date.text.toLowerCase()}|${date.date}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(({ text, date, precision }) => ({ text, date, precision }));
};
