import type { Quote } from './article';
import type { Entities, Mention } from './entities/extract';
import { latestPersonFinder } from './latest-person';
import { SPEECH_VERBS } from './lexicon';
import {
  byParagraph,
  findQuoteSpans,
  lowerBound,
  type Span,
  sentenceStartBefore,
  WINDOW,
} from './quote-spans';
import {
  bodyNamed,
  bodyReferredTo,
  lastQuotedTracker,
  titledPerson,
  titleReferredTo,
} from './speaker-bodies';
import { isSubjectLike, nameAfterQuote, nameBeforeVerb, namesByDescription } from './speaker-cues';
import { countWords } from './text';

export { findQuoteSpans } from './quote-spans';

/**
 * Who speaks a quote. The rules, in the order they are tried (also in the README):
 * 1. After the quote, in its own sentence: '"...," X said', '"...," said X, Labour's spokeswoman', '"...," he
 *    said', '"...," said the 24-year-old'. A quote that ends its sentence ('"...finished." Later Ms Varga said')
 *    is followed by a new sentence, which names its speaker only when it is nothing but an attribution.
 * 2. Before the quote, in its own sentence: the subject of the speech verb ('Councillor Tom Reilly of the Green
 *    Party told BBC Radio Kent: "..."'; 'Smith praised Jones, saying: "..."'), or the pronoun, or 'according to X'.
 * 3. Nothing said: the speaker of the last quote, when nobody else was named since ('"...," she said.' then a
 *    paragraph that is only a quote); else the subject of the sentence before ('Economist Helen Marsh believes the
 *    slowdown will be brief. "..."').
 * A person always outranks an organisation; an organisation speaks only when no person does ('a spokesman for
 * Acme said'); an unnamed speaker ('the prime minister's official spokesman said') is null. A pronoun goes to the
 * latest person of fitting gender who was the subject of a clause (not "Mr Makarov's case", not "to Wang").
 */
type Speaker = { name: string; gender: 'male' | 'female' | null };

const MIN_QUOTE_WORDS = 4;
const PRONOUNS: Record<string, 'male' | 'female'> = { he: 'male', she: 'female' };
/** Prepositions after which an organisation is a listener or a venue, never the speaker. */
const NOT_ORG_SPEAKER = new Set('to|told|on|in|at|with|from|by|into'.split('|'));
const DETERMINERS = new Set(['the', 'a', 'an']);
/** Words that join an affiliation to a name ("Harbour Town manager Steve Rourke"): nouns, not verbs or links. */
const DESCRIPTOR = /^(?!(?:and|or|to|by|with|from|for|of|at|in|on|as|than)$)[\p{Ll}-]+$/u;
const UNNAMED_SPEAKER =
  /\b(?:spokes(?:man|woman|person)|officials?|sources?|statement|report|notice|aides?|insiders?|police|witness(?:es)?|analysts?|experts?|critics?|campaigners?|residents?|they|we|it|i)\b/i;

const wordsIn = (text: string): string[] => text.toLowerCase().match(/[\p{L}']+/gu) ?? [];

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
  const subject = (mention: Mention): boolean =>
    isSubjectLike(paragraphs[mention.paragraph] ?? '', mention.start, mention.end);

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
  const firstSubject = (mentions: Mention[]): Speaker | undefined =>
    mentions.find((mention) => mention.entity.type === 'person' && subject(mention))?.entity;
  const organisation = (mentions: Mention[], paragraph: string): Speaker | undefined =>
    mentions.find((mention) => {
      // "Hanjin's European president" describes the speaker; "Chelsea's statement" is the club speaking.
      if (mention.entity.type !== 'organization') return false;
      const after = paragraph.slice(mention.end, mention.end + 40);
      if (
        /^['’]/.test(after) &&
        !/^['’]s?\s+(?:\p{Ll}+\s+)?(?:statement|spokes\p{Ll}+|website|report)\b/u.test(after)
      )
        return false;
      const preceding = wordsIn(paragraph.slice(Math.max(0, mention.start - 24), mention.start));
      while (DETERMINERS.has(preceding.at(-1) ?? '')) preceding.pop();
      return !NOT_ORG_SPEAKER.has(preceding.at(-1) ?? '');
    })?.entity;

  const latestPerson = latestPersonFinder(people, paragraphs, subject);

  /** 'said Harbour Town manager Steve Rourke': of names joined only by lower-case words, the last is the head. */
  const headOfChain = (mentions: Mention[], first: number, paragraph: string): Mention | undefined => {
    let head = mentions[first];
    for (let i = first + 1; head && i < mentions.length; i++) {
      const next = mentions[i];
      if (next?.entity.type !== 'person' || next.start - head.end > 30) break;
      const between = paragraph.slice(head.end, next.start);
      const joiners = wordsIn(between);
      if (
        !/^[\s\p{Ll}-]*$/u.test(between) ||
        joiners.length > 2 ||
        joiners.some((word) => !DESCRIPTOR.test(word) || SPEECH_VERBS.has(word))
      )
        break;
      head = next;
    }
    return head;
  };

  const pronounTarget = (pronoun: string, span: Span): Speaker | null => {
    const gender = PRONOUNS[pronoun] ?? null;
    return (gender && lastQuoted.speaks(span, gender)) || latestPerson(span.paragraph, span.start, gender);
  };

  const lastQuoted = lastQuotedTracker(people, paragraphs);

  const speakersBefore = (span: Span): Mention[] =>
    speakers.slice(0, lowerBound(speakers, position, span.paragraph * 1e9 + span.start));

  /** '"...," the agency said': the body named earlier that the noun refers back to, else nobody named. */
  const referredBody = (span: Span, rest: string): Speaker | null | undefined => {
    const noun = bodyReferredTo(rest);
    if (noun === null) return undefined;
    return bodyNamed(noun, speakersBefore(span));
  };

  /** '"...," X said' / '"...," said X' / '"...," he said' / '"...," said the 24-year-old'. */
  const after = (span: Span, paragraph: string): Speaker | null | undefined => {
    const rest = paragraph.slice(span.end + 1, span.end + 1 + WINDOW);
    // A sentence ends at . ! ? before a capital or the end ('said Which? spokesman Tom Garner' does not end).
    // An initial's full stop ('Ramon D. Alcaraz told') does not end it.
    const stop = rest.search(
      /(?<!(?:^|[\s.])\p{Lu}|\b(?:Dr|Mr|Mrs|Ms|Prof|St|Gen|Col|Lt|Sgt|Capt|Rev|Sen|Rep|Gov))[.!?](?=\s+["“‘']?\p{Lu}|\s*$)|["“]/u,
    );
    const window = stop < 0 ? rest : rest.slice(0, stop);
    const body = referredBody(span, rest);
    if (body !== undefined) return body;
    const title = titleReferredTo(rest);
    const titled =
      title === null ? null : titledPerson(title, speakersBefore(span), paragraphs, span.paragraph);
    if (titled) return titled;
    const words = wordsIn(window);
    const verbAt = words.findIndex((word) => SPEECH_VERBS.has(word));
    const newSentence = /[.!?]$/.test(span.text) && /^\s*\p{Lu}/u.test(rest);
    if (newSentence && (verbAt < 0 || verbAt > 3 || words.length > verbAt + 3)) return undefined;
    const mentions = mentionsBetween(span.paragraph, span.end, span.end + 1 + window.length);
    const surface = nameAfterQuote(rest) ?? nameBeforeVerb(window);
    // '"...," Glenn Maguire, chief economist at Societe Generale, told...': a name right after the quote may
    // carry a long description before its verb.
    const nameFirst = surface !== null || (mentions[0] !== undefined && mentions[0].start - span.end <= 4);
    if (verbAt < 0 || verbAt > (nameFirst ? 20 : 8)) return undefined;
    const pronounAt = words.findIndex((word) => word in PRONOUNS);
    const firstPerson = mentions.findIndex((mention) => mention.entity.type === 'person');
    const person = firstPerson < 0 ? undefined : headOfChain(mentions, firstPerson, paragraph);
    if (pronounAt >= 0 && pronounAt <= verbAt + 1 && (!person || pronounAt === 0)) {
      return pronounTarget(words[pronounAt] ?? '', span);
    }
    if (person) return person.entity;
    if (surface) return entities.resolve(surface) ?? { name: surface, gender: null };
    if (namesByDescription(window)) return latestPerson(span.paragraph, span.start, null);
    // '"...," the spokesman told BBC Radio Kent' names nobody; '"..." but warned there was' has its subject
    // before the quote, so look there.
    return organisation(mentions, paragraph) ?? (UNNAMED_SPEAKER.test(window) ? null : undefined);
  };

  /** 'X said: "..."' / 'X stressed the need to "..."' / 'according to X, "..."'. */
  const before = (span: Span, paragraph: string, from: number): Speaker | null | undefined => {
    const window = paragraph.slice(from, span.start);
    // The verb's subject speaks, so only names before the last speech verb can (a colon cues the whole window).
    let verbEnd = -1;
    for (const match of window.matchAll(/[\p{L}']+/gu)) {
      const word = match[0].toLowerCase();
      if (SPEECH_VERBS.has(word) || word === 'saying') verbEnd = (match.index ?? 0) + match[0].length;
    }
    const colon = /:\s*$/.test(window);
    const according = /according to\s+/i.exec(window);
    if (verbEnd < 0 && !colon && !according) return undefined;
    const upTo = verbEnd < 0 ? span.start : from + verbEnd;
    const mentions = mentionsBetween(span.paragraph, from, upTo);
    const person = verbEnd < 0 ? undefined : nextToVerb(mentions, paragraph, upTo);
    if (person ?? firstSubject(mentions)) return person ?? firstSubject(mentions);
    // 'dismissed by former minister R.K. Menon as "..."': the agent of a passive speech verb.
    const agent = verbEnd < 0 ? null : /^\s+by\s+/.exec(paragraph.slice(from + verbEnd, span.start));
    if (agent) {
      const at = from + verbEnd + agent[0].length;
      const named = mentionsBetween(span.paragraph, at, span.start).find((m) => m.entity.type === 'person');
      if (named && named.start - at <= 40) return named.entity;
    }
    if (according) {
      const at = from + according.index + according[0].length;
      const named = mentionsBetween(span.paragraph, at, span.start)[0];
      if (named && named.start - at <= 8) return named.entity;
    }
    const pronoun = wordsIn(paragraph.slice(from, upTo)).find((word) => word in PRONOUNS);
    if (pronoun) return pronounTarget(pronoun, span);
    if (namesByDescription(paragraph.slice(from, upTo)))
      return latestPerson(span.paragraph, span.start, null);
    const organisationSpeaks = organisation(mentions, paragraph);
    if (organisationSpeaks) return organisationSpeaks;
    // 'Liberal Democrat spokeswoman for women Sandra Gidley said:' looks like an object but is the only name.
    const anyPerson = mentions.find(
      (mention) =>
        mention.entity.type === 'person' && !/^['’]/.test(paragraph.slice(mention.end, mention.end + 1)),
    );
    if (anyPerson) return anyPerson.entity;
    // 'The prime minister's official spokesman said: "..."' has a speaker the text does not name; 'quickly
    // adding: "..."' has none of its own, so the quote may carry on from the last one.
    return UNNAMED_SPEAKER.test(window) ? null : undefined;
  };

  /** 'and Giggs said:', 'Shoigu, the secretary of Russia's Security Council, stressed': the verb's own subject. */
  const nextToVerb = (mentions: Mention[], paragraph: string, verbEnd: number): Speaker | undefined => {
    const verbStart = paragraph.slice(0, verbEnd).search(/[\p{L}']+$/u);
    for (let i = mentions.length - 1; i >= 0; i--) {
      const mention = mentions[i];
      if (mention?.entity.type !== 'person') continue;
      const gap = paragraph.slice(mention.end, verbStart);
      if (/^\s*$/.test(gap) || /^\s*,[^,"“”]{1,80},\s*$/.test(gap)) return mention.entity;
    }
    return undefined;
  };

  /** The subject of the sentence that ends at `end` ('Economist Helen Marsh believes ... brief. "..."'). */
  const previousSentenceSubject = (paragraph: number, end: number): Speaker | null | undefined => {
    const text = paragraphs[paragraph] ?? '';
    const start = sentenceStartBefore(text, Math.max(0, end - 1));
    const inside = mentionsBetween(paragraph, start, end).filter((mention) => !insideQuote(mention));
    const person = firstSubject(inside);
    if (person) return person;
    // 'He said on Friday he hoped to be elected. "..."'
    const pronoun = /^\s*(he|she)\b/i.exec(text.slice(start, end))?.[1]?.toLowerCase();
    return pronoun ? latestPerson(paragraph, start, PRONOUNS[pronoun] ?? null) : undefined;
  };

  /** A quote with no attribution of its own carries on from the last speaker, or from the sentence before. */
  const carriedOn = (
    span: Span,
    paragraph: string,
    sentenceStart: number,
    last: { span: Span; speaker: Speaker | null } | null,
  ): Speaker | null | undefined => {
    const startsSentence = paragraph.slice(sentenceStart, span.start).trim() === '';
    const lastNear = last !== null && last.span.paragraph >= span.paragraph - 1;
    if (last?.speaker && lastNear) {
      // Names in the last quote's own attribution ('said Speegle founder Gordon Renton.') do not interrupt.
      const sameParagraph = last.span.paragraph === span.paragraph;
      const lastText = paragraphs[last.span.paragraph] ?? '';
      const gap = lastText.slice(last.span.end, sameParagraph ? span.start : undefined);
      // A last quote that ended its sentence has no attribution after it: what follows is a new sentence.
      const closed = /[.!?]$/.test(last.span.text) && /^\s*\p{Lu}/u.test(gap.slice(1));
      const attributionEnd = closed ? 0 : gap.search(/[.!?]\s/);
      const from = last.span.end + Math.max(0, attributionEnd);
      const others = [
        ...mentionsBetween(last.span.paragraph, from, sameParagraph ? span.start : lastText.length),
        ...(sameParagraph ? [] : mentionsBetween(span.paragraph, 0, span.start)),
      ].filter((mention) => mention.entity.type === 'person' && mention.entity.name !== last.speaker?.name);
      const opensParagraph = paragraph.slice(0, span.start).trim() === '';
      if (others.length === 0 && (sameParagraph || opensParagraph)) return last.speaker;
    }
    if (!startsSentence) return undefined;
    if (sentenceStart > 0) return previousSentenceSubject(span.paragraph, sentenceStart);
    const prior = paragraphs[span.paragraph - 1];
    return prior === undefined ? undefined : previousSentenceSubject(span.paragraph - 1, prior.length);
  };

  const quotes: Quote[] = [];
  let previous: { span: Span; speaker: Speaker | null } | null = null;
  for (const span of spans) {
    const paragraph = paragraphs[span.paragraph] ?? '';
    const sentenceStart = Math.max(
      sentenceStartBefore(paragraph, span.start),
      previous && previous.span.paragraph === span.paragraph ? previous.span.end + 1 : 0,
    );
    let speaker = after(span, paragraph);
    if (speaker === undefined) speaker = before(span, paragraph, sentenceStart);
    if (speaker === undefined) speaker = carriedOn(span, paragraph, sentenceStart, previous);
    const resolved = speaker ?? null;
    if (countWords(span.text) >= MIN_QUOTE_WORDS) {
      quotes.push({ text: span.text, speaker: resolved?.name ?? null, paragraph: span.paragraph });
    }
    previous = { span, speaker: resolved };
    const person = resolved !== null && entities.resolve(resolved.name)?.type === 'person';
    if (person && countWords(span.text) >= MIN_QUOTE_WORDS) lastQuoted.quoted(span, resolved);
  }
  return quotes;
};
