import {
  annotateParagraph,
  type EntityKind,
  type Inline,
  type NamedEntity,
  needlesFor,
  type Piece,
} from './annotate';
import { Article, apiUrl, getJson } from './api';
import { type Child, h, link } from './dom';
import { ENTITY_LABELS, errorBox } from './lists';

/** One article as the pipeline made it: the text with its findings marked, then the findings as lists. */
const inline = (part: Inline): Child => {
  if (part.kind === 'text') return part.text;
  if (part.kind === 'date')
    return h(
      'span',
      { class: 'date' },
      h('time', { datetime: part.date }, part.text),
      h(
        'span',
        { class: 'date-value' },
        h('span', { class: 'sr' }, ' (resolved to '),
        part.date,
        h('span', { class: 'sr' }, ')'),
      ),
    );
  const { kind, name } = part.entity;
  return h(
    'mark',
    { class: `ent ${kind}`, 'data-entity': name, title: `${ENTITY_LABELS[kind]}: ${name}` },
    part.text,
  );
};

const piece = (p: Piece): Child[] =>
  p.kind === 'plain'
    ? p.inlines.map(inline)
    : [
        h(
          'span',
          { class: 'quote' },
          ...p.inlines.map(inline),
          h(
            'span',
            { class: p.speaker ? 'speaker' : 'speaker unknown' },
            h('span', { class: 'sr' }, ' (quote by '),
            h('span', { class: 'name' }, p.speaker ?? 'speaker not stated'),
            h('span', { class: 'sr' }, ')'),
          ),
        ),
      ];

const legend = (): HTMLElement =>
  h(
    'aside',
    { class: 'legend', 'aria-label': 'Legend' },
    h('h2', {}, 'Legend'),
    h(
      'ul',
      {},
      h('li', {}, h('mark', { class: 'ent person' }, 'Person')),
      h('li', {}, h('mark', { class: 'ent place' }, 'Place')),
      h('li', {}, h('mark', { class: 'ent organization' }, 'Organisation')),
      h('li', {}, h('span', { class: 'quote' }, 'A quote', h('span', { class: 'speaker' }, 'its speaker'))),
      h(
        'li',
        {},
        h(
          'span',
          { class: 'date' },
          h('time', {}, 'a date phrase'),
          h('span', { class: 'date-value' }, 'its value'),
        ),
      ),
    ),
  );

const entityList = (type: EntityKind, heading: string, entities: Article['people']): HTMLElement =>
  h(
    'section',
    {},
    h('h3', {}, heading),
    entities.length === 0
      ? h('p', { class: 'empty' }, 'None found.')
      : h(
          'ul',
          { class: 'found' },
          ...entities.map((e) =>
            h(
              'li',
              {},
              link(
                `/entity/${type}/${encodeURIComponent(e.name)}`,
                h('span', { class: `ent ${type}` }, e.name),
              ),
              ` ×${e.mentions}`,
            ),
          ),
        ),
  );

const table = (caption: string, head: string[], rows: Child[][]): HTMLElement =>
  rows.length === 0
    ? h('p', { class: 'empty' }, `${caption}: none.`)
    : h(
        'table',
        {},
        h('caption', {}, caption),
        h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
      );

export const articleView = async (id: string): Promise<Child[]> => {
  const jsonUrl = apiUrl(`articles/${encodeURIComponent(id)}`);
  const result = await getJson(jsonUrl, Article);
  if (!result.ok) return [h('h1', { tabindex: '-1' }, 'Article'), errorBox(result.message)];
  const a = result.value;
  const entities: NamedEntity[] = [
    ...a.people.map((e) => ({ kind: 'person' as const, name: e.name })),
    ...a.places.map((e) => ({ kind: 'place' as const, name: e.name })),
    ...a.organizations.map((e) => ({ kind: 'organization' as const, name: e.name })),
  ];
  const needles = needlesFor(entities, a.dates);
  const unplacedQuotes: Article['quotes'] = [];
  const paragraphs = a.paragraphs.map((text, index) => {
    const { pieces, unplaced } = annotateParagraph(
      text,
      a.quotes.filter((q) => q.paragraph === index),
      needles,
    );
    unplacedQuotes.push(...unplaced.map((q) => ({ ...q, paragraph: index })));
    return h('p', {}, ...pieces.flatMap(piece));
  });
  const uploadUrl = apiUrl(`uploads/${a.source.key.split('/').map(encodeURIComponent).join('/')}`);
  return [
    h(
      'header',
      { class: 'article-head' },
      a.section || a.dateline
        ? h('p', { class: 'kicker' }, [a.section, a.dateline].filter(Boolean).join(' · '))
        : null,
      h('h1', { tabindex: '-1' }, a.headline),
      h(
        'p',
        { class: 'when' },
        a.publishedDate ? h('time', { datetime: a.publishedDate }, a.publishedDate) : 'No published date',
        ` · ${a.wordCount} words · ${a.readingTimeMinutes} min read · ${a.language}`,
        a.headlineSource === 'lede' ? ' · headline taken from the lede' : '',
      ),
    ),
    legend(),
    h('div', { class: 'body' }, ...paragraphs),
    h(
      'section',
      { class: 'warnings' },
      h('h2', {}, 'Warnings'),
      a.warnings.length === 0
        ? h('p', { class: 'empty' }, 'None.')
        : h('ul', {}, ...a.warnings.map((w) => h('li', {}, w))),
    ),
    h(
      'section',
      { class: 'findings' },
      h('h2', {}, 'What the pipeline found'),
      entityList('person', 'People', a.people),
      entityList('place', 'Places', a.places),
      entityList('organization', 'Organisations', a.organizations),
      h('h3', {}, 'Quotes'),
      a.quotes.length === 0
        ? h('p', { class: 'empty' }, 'None found.')
        : h(
            'ul',
            { class: 'quotes' },
            ...a.quotes.map((q) =>
              h(
                'li',
                {},
                h(
                  'span',
                  { class: q.speaker ? 'speaker' : 'speaker unknown' },
                  q.speaker ?? 'speaker not stated',
                ),
                ` “${q.text}” `,
                h('span', { class: 'when' }, `(paragraph ${q.paragraph + 1})`),
              ),
            ),
          ),
      unplacedQuotes.length > 0
        ? h(
            'p',
            { class: 'note' },
            `${unplacedQuotes.length} quote(s) could not be placed in their paragraph's text.`,
          )
        : null,
      table(
        'Resolved dates',
        ['Phrase', 'Value', 'Precision'],
        a.dates.map((d) => [d.text, h('time', { datetime: d.date }, d.date), d.precision]),
      ),
      h('h3', {}, 'Keywords'),
      h('p', {}, a.keywords.join(', ') || 'None.'),
    ),
    h(
      'section',
      { class: 'json' },
      h('h2', {}, 'JSON'),
      h(
        'ul',
        {},
        h('li', {}, h('a', { href: jsonUrl }, 'This article’s record'), ` (parser ${a.parserVersion})`),
        h('li', {}, h('a', { href: uploadUrl }, 'The outcome of its upload'), ` (${a.source.key})`),
      ),
    ),
  ];
};
