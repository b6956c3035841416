/**
 * The one way the page makes elements: strings always become text nodes, attributes are set one by one.
 * Nothing is ever parsed as HTML, so an article holding `<script>` or `<img onerror=...>` shows as text.
 */
export type Child = Node | string | null | undefined | false;

export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  for (const child of children) if (child) element.append(child);
  return element;
};

/** A link within the page (hash routes keep the browser's back button and bookmarks working). */
export const link = (route: string, ...children: Child[]): HTMLAnchorElement =>
  h('a', { href: `#${route}` }, ...children);

export const routeOf = (path: string, query: Record<string, string | undefined> = {}): string => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const search = params.toString();
  return search ? `${path}?${search}` : path;
};
