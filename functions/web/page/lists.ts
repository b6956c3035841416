import { ArticlePage, apiUrl, CataloguePage, EntityArticlePage, getJson } from './api';
import { type Child, h, link, routeOf } from './dom';

/** The list views: articles by date, search results, the entity catalogue and an entity's articles. */
export type Query = Record<string, string | undefined>;

export const errorBox = (message: string): HTMLElement => h('p', { class: 'error', role: 'alert' }, message);

export const ENTITY_LABELS: Record<string, string> = {
  person: 'Person',
  place: 'Place',
  organization: 'Organisation',
};

const summaryList = (
  items: readonly { id: string; headline: string; publishedDate: string | null; mentions?: number }[],
): HTMLElement =>
  items.length === 0
    ? h('p', { class: 'empty' }, 'Nothing here.')
    : h(
        'ol',
        { class: 'articles' },
        ...items.map((item) =>
          h(
            'li',
            {},
            link(`/article/${item.id}`, item.headline),
            h(
              'span',
              { class: 'when' },
              item.publishedDate
                ? h('time', { datetime: item.publishedDate }, item.publishedDate)
                : 'undated',
              item.mentions ? ` · ${item.mentions} mention${item.mentions === 1 ? '' : 's'}` : '',
            ),
          ),
        ),
      );

/** Forward paging with the API's cursor; the browser's back button returns to earlier pages. */
const pager = (path: string, query: Query, nextCursor: string | null): HTMLElement =>
  h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages' },
    query.cursor ? link(routeOf(path, { ...query, cursor: undefined }), '« First page') : null,
    nextCursor ? link(routeOf(path, { ...query, cursor: nextCursor }), 'Next page »') : null,
  );

export const articlesView = async (query: Query): Promise<Child[]> => {
  const result = await getJson(
    apiUrl('articles', { limit: query.limit, cursor: query.cursor, from: query.from, to: query.to }),
    ArticlePage,
  );
  const title = h('h1', { tabindex: '-1' }, 'Articles, newest first');
  if (!result.ok) return [title, errorBox(result.message)];
  return [title, summaryList(result.value.items), pager('/articles', query, result.value.nextCursor)];
};

export const searchView = async (query: Query): Promise<Child[]> => {
  const title = h('h1', { tabindex: '-1' }, query.q ? `Search: ${query.q}` : 'Search');
  if (!query.q) return [title, h('p', {}, 'Type words in the search box above.')];
  const result = await getJson(
    apiUrl('search', { q: query.q, limit: query.limit, cursor: query.cursor }),
    ArticlePage,
  );
  if (!result.ok) return [title, errorBox(result.message)];
  return [title, summaryList(result.value.items), pager('/search', query, result.value.nextCursor)];
};

export const catalogueView = async (query: Query): Promise<Child[]> => {
  const type = query.type ?? 'person';
  const title = h('h1', { tabindex: '-1' }, 'Entities');
  const tabs = h(
    'nav',
    { class: 'tabs', 'aria-label': 'Entity types' },
    ...Object.entries(ENTITY_LABELS).map(([value, label]) => {
      const a = link(routeOf('/entities', { type: value, prefix: query.prefix }), `${label}s`);
      if (value === type) a.setAttribute('aria-current', 'page');
      return a;
    }),
  );
  const input = h('input', { id: 'prefix', name: 'prefix', type: 'search', value: query.prefix ?? '' });
  const form = h(
    'form',
    { class: 'prefix', 'data-route': '/entities', 'data-type': type },
    h('label', { for: 'prefix' }, 'Names starting with'),
    input,
    h('button', { type: 'submit' }, 'Filter'),
  );
  const result = await getJson(
    apiUrl('entities', { type, prefix: query.prefix, limit: query.limit, cursor: query.cursor }),
    CataloguePage,
  );
  if (!result.ok) return [title, tabs, form, errorBox(result.message)];
  const list =
    result.value.items.length === 0
      ? h('p', { class: 'empty' }, 'No entities.')
      : h(
          'ul',
          { class: 'catalogue' },
          ...result.value.items.map((e) =>
            h(
              'li',
              {},
              link(
                `/entity/${e.type}/${encodeURIComponent(e.name)}`,
                h('span', { class: `ent ${e.type}` }, e.name),
              ),
              h('span', { class: 'count' }, ` ${e.articleCount} article${e.articleCount === 1 ? '' : 's'}`),
            ),
          ),
        );
  return [title, tabs, form, list, pager('/entities', { ...query, type }, result.value.nextCursor)];
};

export const entityView = async (type: string, name: string, query: Query): Promise<Child[]> => {
  const title = h(
    'h1',
    { tabindex: '-1' },
    `${ENTITY_LABELS[type] ?? type}: `,
    h('span', { class: `ent ${type}` }, name),
  );
  const result = await getJson(
    apiUrl(`entities/${encodeURIComponent(type)}/${encodeURIComponent(name)}/articles`, {
      limit: query.limit,
      cursor: query.cursor,
    }),
    EntityArticlePage,
  );
  if (!result.ok) return [title, errorBox(result.message)];
  const alias =
    result.value.matched !== undefined && result.value.matched !== name.toLowerCase()
      ? h('p', { class: 'note' }, `Listed under the fuller name “${result.value.matched}”.`)
      : null;
  return [
    title,
    alias,
    summaryList(result.value.items),
    pager(`/entity/${type}/${encodeURIComponent(name)}`, query, result.value.nextCursor),
  ];
};
