/**
 * Where to mark what the pipeline found in a paragraph. The record holds names, quote texts and date phrases,
 * not offsets, so they are found again in the text: quotes first (outer marks), then people, places,
 * organisations and dates inside the pieces between and within quotes. Pure, so it is tested without a browser.
 */
export type EntityKind = 'person' | 'place' | 'organization';

export interface NamedEntity {
  kind: EntityKind;
  name: string;
}

export interface DateMark {
  text: string;
  date: string;
}

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'entity'; text: string; entity: NamedEntity }
  | { kind: 'date'; text: string; date: string };

export type Piece =
  | { kind: 'plain'; inlines: Inline[] }
  | { kind: 'quote'; speaker: string | null; inlines: Inline[] };

interface Needle {
  text: string;
  mark: { kind: 'entity'; entity: NamedEntity } | { kind: 'date'; date: string };
}

interface Hit {
  start: number;
  end: number;
  needle: Needle;
}

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/** Every whole-word occurrence of `needle` in `text`. */
const occurrences = (text: string, needle: string): number[] => {
  const found: number[] = [];
  if (needle.length === 0) return found;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    if (!isWordChar(text[at - 1]) && !isWordChar(text[at + needle.length])) found.push(at);
  }
  return found;
};

/**
 * What to look for: each full name, and for a person each part of three letters or more that no other person
 * shares ("Shoigu" for Sergei Shoigu, "Wang" for Wang Yi), since articles name people in full once.
 */
export const needlesFor = (entities: readonly NamedEntity[], dates: readonly DateMark[]): Needle[] => {
  const needles: Needle[] = entities.map((entity) => ({
    text: entity.name,
    mark: { kind: 'entity', entity },
  }));
  const people = entities.filter((e) => e.kind === 'person');
  const partCount = new Map<string, number>();
  for (const person of people)
    for (const part of new Set(person.name.split(/\s+/))) partCount.set(part, (partCount.get(part) ?? 0) + 1);
  const names = new Set(entities.map((e) => e.name));
  for (const person of people)
    for (const part of person.name.split(/\s+/))
      if (part !== person.name && part.length >= 3 && partCount.get(part) === 1 && !names.has(part))
        needles.push({ text: part, mark: { kind: 'entity', entity: person } });
  for (const date of dates) needles.push({ text: date.text, mark: { kind: 'date', date: date.date } });
  return needles;
};

/** Marks in one stretch of text: longest first where two overlap, then left to right. */
export const inlinesOf = (text: string, needles: readonly Needle[]): Inline[] => {
  const hits: Hit[] = needles.flatMap((needle) =>
    occurrences(text, needle.text).map((start) => ({ start, end: start + needle.text.length, needle })),
  );
  hits.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const chosen: Hit[] = [];
  for (const hit of hits) if (!chosen.some((c) => hit.start < c.end && c.start < hit.end)) chosen.push(hit);
  chosen.sort((a, b) => a.start - b.start);
  const inlines: Inline[] = [];
  let at = 0;
  for (const hit of chosen) {
    if (hit.start > at) inlines.push({ kind: 'text', text: text.slice(at, hit.start) });
    const piece = text.slice(hit.start, hit.end);
    const { mark } = hit.needle;
    inlines.push(
      mark.kind === 'entity'
        ? { kind: 'entity', text: piece, entity: mark.entity }
        : { kind: 'date', text: piece, date: mark.date },
    );
    at = hit.end;
  }
  if (at < text.length) inlines.push({ kind: 'text', text: text.slice(at) });
  return inlines;
};

export interface QuoteMark {
  text: string;
  speaker: string | null;
}

/** A paragraph as plain pieces and quotes (a quote not found verbatim is left for the caller to list). */
export const annotateParagraph = (
  text: string,
  quotes: readonly QuoteMark[],
  needles: readonly Needle[],
): { pieces: Piece[]; unplaced: QuoteMark[] } => {
  const spans: { start: number; end: number; quote: QuoteMark }[] = [];
  const unplaced: QuoteMark[] = [];
  for (const quote of quotes) {
    const start = quote.text.length > 0 ? text.indexOf(quote.text) : -1;
    const end = start + quote.text.length;
    if (start < 0 || spans.some((s) => start < s.end && s.start < end)) unplaced.push(quote);
    else spans.push({ start, end, quote });
  }
  spans.sort((a, b) => a.start - b.start);
  const pieces: Piece[] = [];
  let at = 0;
  for (const span of spans) {
    if (span.start > at)
      pieces.push({ kind: 'plain', inlines: inlinesOf(text.slice(at, span.start), needles) });
    pieces.push({
      kind: 'quote',
      speaker: span.quote.speaker,
      inlines: inlinesOf(text.slice(span.start, span.end), needles),
    });
    at = span.end;
  }
  if (at < text.length) pieces.push({ kind: 'plain', inlines: inlinesOf(text.slice(at), needles) });
  return { pieces, unplaced };
};
