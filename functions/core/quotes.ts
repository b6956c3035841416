import type { Quote } from './article';
import type { Entities, EntityRecord, Mention } from './entities/extract';
import { SPEECH_VERBS } from './lexicon';
import { countWords } from './text';

type Span = { start: number; end: number; paragraph: number; text: string };

const OPENERS = new Set(['“', '"']);
const MIN_QUOTE_WORDS = 4;

/**
 * Double-quoted spans of one paragraph. A straight quote opens after a space or bracket and closes otherwise.
 * News copy often opens a new quote without closing the last ("...26 weeks. "We are going..."): an opening
 * quote inside an open one ends the first there, and a quote still open at the paragraph end runs to it.
 */
export const findQuoteSpans = (paragraph: string, index: number): Span[] => {
  const spans: Span[] = [];
  let open = -1;
  const close = (end: number): void => {
    const raw = paragraph.slice(open + 1, end);
    const text = raw.trim().replace(/,$/, '').trim();
    if (text) spans.push({ start: open, end, paragraph: index, text });
    open = -1;
  };
  for (let i = 0; i < paragraph.length; i++) {
    const char = paragraph[i] ?? '';
    if (char !== '"' && char !== '“' && char !== '”') continue;
    const before = i === 0 ? ' ' : (paragraph[i - 1] ?? ' ');
    const opening = char === '“' || (char === '"' && /[\s([{—–-]/.test(before));
    if (opening && OPENERS.has(char)) {
      if (open >= 0) close(i);
      open = i;
    } else if (open >= 0) {
      close(i);
    }
  }
  if (open >= 0) close(paragraph.length);
  return spans;
};

const PRONOUNS: Record<string, 'male' | 'female'> = { he: 'male', she: 'female' };
const OBJECT_PREPOSITIONS = new Set([
  'to',
  'with',
  'by',
  'for',
  'about',
  'against',
  'from',
  'of',
  'at',
  'on',
]);

/** "said Morgan Stanley analyst Lee Simmons": the person speaks, the organisation only describes them. */
const preferPeople = (mentions: Mention[]): Mention[] => [
  ...mentions.filter((mention) => mention.entity.type === 'person'),
  ...mentions.filter((mention) => mention.entity.type !== 'person'),
];

const wordsIn = (text: string): string[] => text.toLowerCase().match(/[\p{L}']+/gu) ?? [];

/** How far from a quote its attribution may be, in characters: bounds the work on huge paragraphs. */
const WINDOW = 400;

/** Index of the first item whose key is >= `key` (items sorted by key). */
const lowerBound = <T>(items: readonly T[], key: (item: T) => number, value: number): number => {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (key(items[middle] as T) < value) low = middle + 1;
    else high = middle;
  }
  return low;
};

const byParagraph = <T extends { paragraph: number }>(items: readonly T[]): Map<number, T[]> => {
  const map = new Map<number, T[]>();
  for (const item of items) {
    const list = map.get(item.paragraph) ?? [];
    list.push(item);
    map.set(item.paragraph, list);
  }
  return map;
};

const position = (mention: Mention): number => mention.paragraph * 1e9 + mention.start;

export const extractQuotes = (paragraphs: readonly string[], entities: Entities): Quote[] => {
  const spans = paragraphs.flatMap((paragraph, index) => findQuoteSpans(paragraph, index));
  const spansIn = byParagraph(spans);
  const insideQuote = (mention: Mention): boolean => {
    const list = spansIn.get(mention.paragraph) ?? [];
    const span = list[lowerBound(list, (item) => item.start, mention.start) - 1];
    return span !== undefined && mention.end <= span.end;
  };
  // Who can speak: people (and organisations, "Google said") named outside quotation marks, in reading order.
  const speakers = entities.mentions
    .filter((mention) => mention.entity.type !== 'place' && !insideQuote(mention))
    .sort((a, b) => position(a) - position(b));
  const speakersIn = byParagraph(speakers);
  const people = speakers.filter((mention) => mention.entity.type === 'person');

  const mentionsBetween = (paragraph: number, from: number, to: number): Mention[] => {
    const list = speakersIn.get(paragraph) ?? [];
    const found: Mention[] = [];
    for (let i = lowerBound(list, (item) => item.start, from); i < list.length; i++) {
      const mention = list[i];
      if (!mention || mention.start >= to) break;
      if (mention.end <= to) found.push(mention);
    }
    return found;
  };

  /** "he said": the latest person named before the quote whose known gender fits (looking back a little way). */
  const pronounTarget = (pronoun: string, paragraph: number, before: number): EntityRecord | null => {
    const gender = PRONOUNS[pronoun];
    const end = lowerBound(people, position, paragraph * 1e9 + before);
    for (let i = end - 1; i >= Math.max(0, end - 50); i--) {
      const mention = people[i];
      if (mention && (mention.entity.gender === null || mention.entity.gender === gender))
        return mention.entity;
    }
    return null;
  };

  /** '"...," X said' / '"...," said X' / '"...," he said'. */
  const after = (span: Span, paragraph: string): EntityRecord | null | undefined => {
    const rest = paragraph.slice(span.end + 1, span.end + 1 + WINDOW);
    const stop = rest.search(/[.!?](?:\s|$)|["“]/);
    const window = stop < 0 ? rest : rest.slice(0, stop);
    const words = wordsIn(window);
    const verbAt = words.findIndex((word) => SPEECH_VERBS.has(word));
    const mentions = mentionsBetween(span.paragraph, span.end, span.end + 1 + window.length);
    // '"...," Glenn Maguire, chief economist at Societe Generale, told...': a name right after the quote may
    // carry a long description before its verb.
    const nameFirst = mentions[0] !== undefined && mentions[0].start - span.end <= 4;
    if (verbAt < 0 || verbAt > (nameFirst ? 20 : 8)) return undefined;
    const pronounAt = words.findIndex((word) => word in PRONOUNS);
    const named = preferPeople(mentions)[0];
    if (pronounAt >= 0 && pronounAt <= verbAt + 1 && (!named || pronounAt === 0)) {
      return pronounTarget(words[pronounAt] ?? '', span.paragraph, span.start);
    }
    // '"..." but warned there was': the verb's subject is before the quote, so look there.
    return named?.entity;
  };

  /** 'X said: "..."' / 'X stressed the need to "..."' / 'according to X, "..."'. */
  const before = (span: Span, paragraph: string, from: number): EntityRecord | null | undefined => {
    const window = paragraph.slice(from, span.start);
    const lower = window.toLowerCase();
    const words = wordsIn(window);
    const cued =
      /:\s*$/.test(window) ||
      words.some((word) => SPEECH_VERBS.has(word) || word === 'saying') ||
      lower.includes('according to');
    if (!cued) return undefined;
    const according = /according to\s+$/.exec(lower.slice(0, -0 || undefined));
    const candidates = preferPeople(mentionsBetween(span.paragraph, from, span.start)).filter((mention) => {
      const preceding =
        wordsIn(paragraph.slice(Math.max(from, mention.start - 12), mention.start)).at(-1) ?? '';
      return !OBJECT_PREPOSITIONS.has(preceding) || (preceding === 'to' && according !== null);
    });
    if (candidates[0]) return candidates[0].entity;
    const pronoun = words.find((word) => word in PRONOUNS);
    return pronoun ? pronounTarget(pronoun, span.paragraph, span.start) : undefined;
  };

  const quotes: Quote[] = [];
  let previous: { span: Span; speaker: EntityRecord | null } | null = null;
  for (const span of spans) {
    const paragraph = paragraphs[span.paragraph] ?? '';
    // The sentence that holds the quote starts after the last sentence end (or quote) before it.
    const base = Math.max(0, span.start - WINDOW);
    const head = paragraph.slice(base, span.start);
    const sentenceStart = Math.max(
      base + Math.max(head.lastIndexOf('.'), head.lastIndexOf('!'), head.lastIndexOf('?')) + 1,
      previous && previous.span.paragraph === span.paragraph ? previous.span.end + 1 : 0,
    );
    let speaker: EntityRecord | null | undefined = after(span, paragraph);
    if (speaker === undefined) speaker = before(span, paragraph, sentenceStart);
    if (speaker === undefined && previous?.speaker && previous.span.paragraph === span.paragraph) {
      // A quote that carries on from the last one, with nobody else named in between, has the same speaker.
      // Names in the last quote's own attribution ('said Speegle founder Gordon Renton.') do not interrupt.
      const gap = paragraph.slice(previous.span.end, span.start);
      const attributionEnd = gap.search(/[.!?]\s/);
      const from = previous.span.end + Math.max(0, attributionEnd);
      const between = mentionsBetween(span.paragraph, from, span.start).filter(
        (mention) => mention.entity.type === 'person' && mention.entity !== previous?.speaker,
      );
      if (between.length === 0) speaker = previous.speaker;
    }
    const resolved: EntityRecord | null = speaker ?? null;
    if (countWords(span.text) >= MIN_QUOTE_WORDS) {
      quotes.push({ text: span.text, speaker: resolved?.name ?? null, paragraph: span.paragraph });
    }
    previous = { span, speaker: resolved };
  }
  return quotes;
};
