import { articleView } from './article';
import type { Child } from './dom';
import { articlesView, catalogueView, entityView, errorBox, type Query, searchView } from './lists';

/**
 * Hash routes (`#/articles`, `#/article/<id>`, `#/search?q=`, `#/entities`, `#/entity/<type>/<name>`): one HTML
 * file at `/`, and the back button, bookmarks and links work without server routes. A hash that does not start
 * with `#/` (the skip link's `#main`) is an in-page anchor and left to the browser.
 */
const main = document.getElementById('main');
const searchForm = document.getElementById('search');
const searchInput = document.getElementById('q');

const parseRoute = (hash: string): { parts: string[]; query: Query } => {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, query: Object.fromEntries(new URLSearchParams(search)) };
};

const viewFor = (parts: string[], query: Query): Promise<Child[]> => {
  const [first, second, third] = parts;
  if (first === 'article' && second) return articleView(second);
  if (first === 'search') return searchView(query);
  if (first === 'entities') return catalogueView(query);
  if (first === 'entity' && second && third) return entityView(second, third, query);
  return articlesView(query);
};

let current = 0;
const render = async (focus: boolean): Promise<void> => {
  if (!main) return;
  const hash = location.hash || '#/articles';
  if (!hash.startsWith('#/')) return;
  const { parts, query } = parseRoute(hash);
  if (searchInput instanceof HTMLInputElement)
    searchInput.value = parts[0] === 'search' ? (query.q ?? '') : '';
  const ticket = ++current;
  main.setAttribute('aria-busy', 'true');
  let nodes: Child[];
  try {
    nodes = await viewFor(parts, query);
  } catch (error) {
    nodes = [errorBox(`Something went wrong showing this page: ${String(error)}`)];
  }
  if (ticket !== current) return; // a newer navigation won
  main.replaceChildren(...nodes.filter((n): n is Node | string => Boolean(n)));
  main.removeAttribute('aria-busy');
  // Which route the content shows: tests (and scripts) wait for it rather than guess.
  main.dataset.rendered = hash;
  document.title = `${main.querySelector('h1')?.textContent ?? 'Articles'} · News pipeline`;
  // Keyboard and screen-reader users land on the new content, not at the top of the old one.
  if (focus) main.querySelector<HTMLElement>('h1')?.focus();
};

searchForm?.addEventListener('submit', (event) => {
  event.preventDefault();
  if (!(searchInput instanceof HTMLInputElement)) return;
  const q = searchInput.value.trim();
  location.hash = q ? `#/search?${new URLSearchParams({ q })}` : '#/articles';
});

// The catalogue's prefix filter, a form drawn by the view.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.dataset.route !== '/entities') return;
  event.preventDefault();
  const prefix = new FormData(form).get('prefix');
  const query = new URLSearchParams({ type: form.dataset.type ?? 'person' });
  if (typeof prefix === 'string' && prefix.trim()) query.set('prefix', prefix.trim());
  location.hash = `#/entities?${query}`;
});

window.addEventListener('hashchange', () => void render(true));
void render(false);
