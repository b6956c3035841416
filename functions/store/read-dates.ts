import { DATE_SHARDS, keys, monthOf } from './keys';
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
 * Articles by published date, newest first, across the month partitions (`DATE#<YYYY-MM>#<shard>`, ./keys.ts).
 * A month's shards are read at once and merged by sort key, so a page reads as if the month were one partition.
 * The cursor is a date entry's sort key (where the page stopped) or the top of the month to read next; both name
 * their month, so one string locates the position in every shard. The MONTH list says which months hold
 * articles; the derive consumer lists a month before it reports any of its articles indexed.
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
    const after = q.after && monthOf(q.after) === month ? q.after : undefined;
    const page = await monthPage(query, month, condition, lo, hi, q.limit - items.length, after);
    for (const { id, headline, publishedDate } of page.items) items.push({ id, headline, publishedDate });
    if (page.next) return { items, next: page.next };
    if (items.length >= q.limit) {
      const following = months[i + 1];
      return { items, next: following ? topOf(following) : null };
    }
  }
  return { items, next: null };
};

/**
 * One month's next `want` entries, newest first: each shard read for `want + 1` and the reads merged. Entries are a
 * few hundred bytes, so no shard's page is cut short by DynamoDB's 1 MB limit before `want + 1` entries.
 */
const monthPage = async (
  query: ReturnType<typeof makeQueryRunner>,
  month: string,
  condition: string,
  lo: string | undefined,
  hi: string | undefined,
  want: number,
  after: string | undefined,
): Promise<{ items: Array<ArticleSummary & { sk: string }>; next: string | null }> => {
  const reads = await Promise.all(
    Array.from({ length: DATE_SHARDS }, (_, shard) => {
      const pk = keys.datePartition(month, shard);
      const values: Record<string, string> = { ':pk': pk };
      if (lo) values[':lo'] = lo;
      if (hi) values[':hi'] = hi;
      return query.summaries(
        { KeyConditionExpression: condition, ExpressionAttributeValues: values, ScanIndexForward: false },
        want,
        pk,
        after,
        'date',
      );
    }),
  );
  const merged = reads.flatMap((r) => r.items).sort((a, b) => (a.sk < b.sk ? 1 : a.sk > b.sk ? -1 : 0));
  const page = merged.slice(0, want);
  const more = merged.length > want || reads.some((r) => r.next !== null);
  return { items: page, next: more ? (page.at(-1)?.sk ?? after ?? null) : null };
};
