import { keys, monthOf } from './keys';
import type { makeQueryRunner } from './read-query';
import type { ArticleSummary, Page } from './read-types';

/**
 * Month partitions read for one page at most (besides the one Query of the month catalogue). A page that has not
 * filled by then is returned short with a cursor, so reads per page stay bounded however sparse the months are.
 * Twelve: a small archive (one article a month) still fills a page, and an empty month costs one 0.5-unit Query.
 */
export const MAX_DATE_MONTHS = 12;

/**
 * Sort key of "the top of month M": above every date entry of M (`YYYY-MM-DD#id`), below every later month's. A
 * cursor that names it resumes with month M from its newest entry.
 */
const topOf = (month: string) => `${month}-99`;

/**
 * Articles by published date, newest first, across the month partitions (`DATE#<YYYY-MM>`, see ./keys.ts).
 * The cursor is a date entry's sort key (where the page stopped) or the top of the month to read next; both name
 * their month, so one string locates the position. The month catalogue says which months hold articles; a month
 * is listed there as soon as the stream consumer has counted its first entry (milliseconds locally).
 */
export const listByDate = async (
  query: ReturnType<typeof makeQueryRunner>,
  q: { from?: string; to?: string; limit: number; after?: string },
): Promise<Page<ArticleSummary, string>> => {
  const lo = q.from ? `${q.from}#` : undefined;
  const hi = q.to ? `${q.to}#\uffff` : undefined;
  const upper = q.after ?? hi;
  const months = await query.months(q.from ? monthOf(q.from) : undefined, upper ? monthOf(upper) : undefined);
  const condition =
    lo && hi
      ? 'pk = :pk AND sk BETWEEN :lo AND :hi'
      : lo
        ? 'pk = :pk AND sk >= :lo'
        : hi
          ? 'pk = :pk AND sk <= :hi'
          : 'pk = :pk';
  const items: ArticleSummary[] = [];
  for (const [i, month] of months.entries()) {
    if (i === MAX_DATE_MONTHS) return { items, next: topOf(month) };
    const pk = keys.datePartition(month);
    const values: Record<string, string> = { ':pk': pk };
    if (lo) values[':lo'] = lo;
    if (hi) values[':hi'] = hi;
    const after = q.after && monthOf(q.after) === month ? q.after : undefined;
    const page = await query.summaries(
      { KeyConditionExpression: condition, ExpressionAttributeValues: values, ScanIndexForward: false },
      q.limit - items.length,
      pk,
      after,
      'date',
    );
    for (const { id, headline, publishedDate } of page.items) items.push({ id, headline, publishedDate });
    if (page.next) return { items, next: page.next };
    if (items.length >= q.limit) {
      const following = months[i + 1];
      return { items, next: following ? topOf(following) : null };
    }
  }
  return { items, next: null };
};
