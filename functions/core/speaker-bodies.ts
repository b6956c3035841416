/**
 * Speakers that wire copy names by what they are (issue 23): a body referred back to ("the agency said", "the
 * union said in a statement") and a pronoun that carries on from the last person quoted.
 */
import type { Mention } from './entities/extract';
import { NEWS_AGENCIES } from './lexicon';
import { lowerBound, type Span, sentenceStartBefore } from './quote-spans';

type Speaker = { name: string; gender: 'male' | 'female' | null };

/** Nouns a story uses to refer back to a named body; with no such body named it is an unnamed one. */
const BODY_NOUNS =
  'agency|navy|army|military|ministry|union|party|company|firm|group|bank|council|commission|committee|' +
  'court|league|federation|broadcaster|newspaper|daily|channel|network|coast guard|guard|fleet|command|' +
  'department|office|government|regulator|airline|operator|chiefs|police|service|organisation|organization';
const REFERS_BACK = new RegExp(
  String.raw`^\s*,?\s*(?:the|its)\s+((?:[\p{Ll}-]+\s+){0,2}?)(${BODY_NOUNS})\s+(?:said|says|added|told|reported|stated|announced|warned|wrote)\b`,
  'u',
);
const MEDIA = new Set(['agency', 'broadcaster', 'newspaper', 'daily', 'channel', 'network']);

/** The body noun of '"...," the agency said', or null when the words after a quote do not refer back so. */
export const bodyReferredTo = (afterQuote: string): string | null => {
  const match = REFERS_BACK.exec(afterQuote);
  return match ? `${match[1] ?? ''}${match[2] ?? ''}`.trim() : null;
};

/**
 * The latest organisation named before a quote that the body noun fits: "the agency" is the last news agency
 * (or a name ending "Agency"), "the union" the last name whose head is "Union". Null when none fits, so that
 * "the ministry said" with no ministry named has no named speaker.
 */
export const bodyNamed = (noun: string, before: readonly Mention[]): Mention['entity'] | null => {
  const head = noun.split(' ').at(-1) ?? noun;
  for (let i = before.length - 1; i >= 0; i--) {
    const entity = before[i]?.entity;
    if (entity?.type !== 'organization') continue;
    const words = entity.name.toLowerCase().split(' ');
    const of = words.findIndex((word) => word === 'of' || word === 'for');
    const nameHead = of > 0 ? words[of - 1] : words.at(-1);
    if (nameHead === head || words.at(-1) === head || words.join(' ').endsWith(noun)) return entity;
    if (MEDIA.has(head) && NEWS_AGENCIES.has(entity.name.toLowerCase())) return entity;
  }
  return null;
};

/**
 * A person mention that is the subject of its clause: the clause (from the sentence start, or from the last
 * comma, "and" or "but") has at most a few description words before the name ("Former minister Ravi Menon told",
 * "..., and Sculthorpe said", "Its country representative, Wafaa Saeed, said"), none of them a preposition
 * governing it ("sent to finance secretary Arvind Desai"). The agent of a passive ('was welcomed by David
 * Willetts') counts: who is welcomed usually speaks next.
 */
const leadsSentence = (paragraph: string, sentenceStart: number, mention: Mention): boolean => {
  const clause = (paragraph.slice(sentenceStart, mention.start).split(/[,;:]/).at(-1) ?? '').replace(
    /^\s*(?:and|but|while|as|then)\s+/u,
    '',
  );
  const short = /^[\s"“]*(?:[\p{L}'’.-]+\s+){0,4}$/u.test(clause);
  return short && !/\b(?:to|with|for|of|from|met)\s+(?:[\p{Ll}-]+\s+){0,3}$/u.test(clause);
};

const position = (mention: Mention): number => mention.paragraph * 1e9 + mention.start;

/**
 * '"...," Menon said. The plan was sent to Arvind Desai. "...," he said': a pronoun carries on from the last
 * person quoted (in this paragraph or the two before) when everyone named since is only an object. `people` are
 * the person mentions outside quotes in reading order; `quoted` is told of each quote's person speaker.
 */
export const lastQuotedTracker = (people: readonly Mention[], paragraphs: readonly string[]) => {
  let last: { span: Span; speaker: Speaker } | null = null;
  return {
    quoted: (span: Span, speaker: Speaker): void => {
      last = { span, speaker };
    },
    speaks: (span: Span, gender: 'male' | 'female'): Speaker | null => {
      if (!last || (last.speaker.gender && last.speaker.gender !== gender)) return null;
      if (span.paragraph - last.span.paragraph > 2) return null;
      const { span: quote, speaker } = last;
      const from = lowerBound(people, position, quote.paragraph * 1e9 + quote.end);
      const to = lowerBound(people, position, span.paragraph * 1e9 + span.start);
      const since = people.slice(from, to).filter((mention) => mention.entity.name !== speaker.name);
      if (since.length === 0) return null;
      const subjectSince = since.some((mention) => {
        if (mention.entity.gender !== null && mention.entity.gender !== gender) return false;
        const text = paragraphs[mention.paragraph] ?? '';
        return leadsSentence(text, sentenceStartBefore(text, mention.start), mention);
      });
      return subjectSince ? null : speaker;
    },
  };
};

/** Titles a story uses to refer back to a person it named with them: "the prime minister-elect told reporters". */
const TITLE_HEADS =
  'prime minister|minister|president|premier|chancellor|governor|mayor|ambassador|envoy|secretary|' +
  'secretary-general|spokesman|spokeswoman|spokesperson|commander|general|admiral|chief executive|' +
  'chairman|chairwoman|director|senator|king|queen|prince|coach|manager|governor|commissioner|ceo';
const TITLE_REFERENCE = new RegExp(
  String.raw`^\s*,?\s*the\s+((?:[\p{Ll}-]+\s+){0,2}?(?:${TITLE_HEADS})(?:-elect|-designate)?)\s+(?:said|says|added|told|stressed|insisted|warned|replied)\b`,
  'u',
);

/** The title of '"...," the prime minister-elect told reporters', or null when no title refers back. */
export const titleReferredTo = (afterQuote: string): string | null =>
  TITLE_REFERENCE.exec(afterQuote)?.[1]?.toLowerCase() ?? null;

/**
 * The latest person named (within the last three paragraphs) right after the title: "Prime Minister-elect Haruto
 * Kobayashi", "Foreign Ministry spokesman Lin Wei". The whole title is tried first, then its last word.
 */
export const titledPerson = (
  title: string,
  before: readonly Mention[],
  paragraphs: readonly string[],
  paragraph: number,
): Mention['entity'] | null => {
  const head = title.split(/\s+/).at(-1) ?? title;
  for (const wanted of [title, head]) {
    // Titles are letters, spaces and hyphens only (TITLE_REFERENCE), so they go into the pattern as they are.
    // One word may stand between ("spokesman Dr Lin"), but not a preposition ("a spokesman for Acme").
    const written = new RegExp(
      String.raw`\b${wanted}\s+(?:(?!(?:for|of|to|at|with|from|by|and|in)\s)[\p{L}'’.-]+\s+)?$`,
      'u',
    );
    for (let i = before.length - 1; i >= 0; i--) {
      const mention = before[i];
      if (!mention || paragraph - mention.paragraph > 3) break;
      if (mention.entity.type !== 'person') continue;
      const text = paragraphs[mention.paragraph] ?? '';
      const lead = text.slice(Math.max(0, mention.start - 50), mention.start).toLowerCase();
      if (written.test(lead)) return mention.entity;
    }
  }
  return null;
};
