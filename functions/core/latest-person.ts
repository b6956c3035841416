import type { Mention } from './entities/extract';
import { lowerBound, sentenceStartBefore } from './quote-spans';

type Speaker = { name: string; gender: 'male' | 'female' | null };

const position = (mention: Mention): number => mention.paragraph * 1e9 + mention.start;

/**
 * The latest person named before a point whose known gender fits, found sentence by sentence back from the
 * point: in each sentence its subject (the first person named, not a possessive or an object) comes first, so
 * 'Rourke singled out Tully, who... "...," he added' is Rourke's.
 */
export const latestPersonFinder = (
  people: readonly Mention[],
  paragraphs: readonly string[],
  subject: (mention: Mention) => boolean,
) => {
  return (paragraph: number, before: number, gender: 'male' | 'female' | null): Speaker | null => {
    const end = lowerBound(people, position, paragraph * 1e9 + before);
    const fits = (mention: Mention | undefined): mention is Mention =>
      mention !== undefined &&
      (gender === null || mention.entity.gender === null || mention.entity.gender === gender);
    // 'Now he fears...': a sentence whose subject is the same pronoun hands the search on to the one before.
    const samePronoun =
      gender === null
        ? null
        : new RegExp(`^\\W*(?:\\p{L}+\\s+)?${gender === 'male' ? 'he' : 'she'}\\b`, 'iu');
    const from = Math.max(0, end - 50);
    let sentence: Mention[] = [];
    let key = '';
    let skip = false;
    let fallback: Speaker | null = null;
    const pick = (): Speaker | undefined => {
      if (skip) return undefined;
      return sentence.find((mention) => subject(mention))?.entity;
    };
    for (let i = end - 1; i >= from; i--) {
      const mention = people[i];
      if (!mention) continue;
      const text = paragraphs[mention.paragraph] ?? '';
      const start = sentenceStartBefore(text, mention.start);
      const at = `${mention.paragraph}:${start}`;
      if (at !== key) {
        const found = pick();
        if (found) return found;
        sentence = [];
        key = at;
        skip = samePronoun?.test(text.slice(start, start + 20)) ?? false;
      }
      if (fits(mention)) {
        sentence.unshift(mention);
        fallback ??= mention.entity;
      }
    }
    return pick() ?? fallback;
  };
};
