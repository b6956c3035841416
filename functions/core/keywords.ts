import { FUNCTION_WORDS } from './lexicon';

/** Common English words that carry no topic, on top of the function words. */
const STOP = new Set(
  (
    'said|says|say|told|would|could|should|also|year|years|time|times|people|new|one|two|three|first|last|' +
    'made|make|many|much|well|like|since|still|just|been|being|were|have|having|which|their|there|than|' +
    'then|them|they|this|that|what|when|will|with|about|after|before|because|while|into|over|more|most|' +
    'some|such|only|other|another|very|even|back|going|get|got|told|added|week|weeks|month|months|day|days|' +
    'monday|tuesday|wednesday|thursday|friday|saturday|sunday|mr|mrs|ms|dr|per|cent|percent|around|may|' +
    'way|take|takes|took|part|set|see|seen|come|came|now|next|says|including|told|according|think|know|' +
    'want|need|used|use|able|there|here|where|whether|however|although|though|yet|already|among|between'
  ).split('|'),
);

const WORD = /\p{L}[\p{L}'’-]*\p{L}/gu;

/**
 * Up to ten topic words: frequent content words, counted once more when they appear in the headline or lede.
 * Lower case; possessives folded into the word ("China's" -> "china").
 */
export const extractKeywords = (headline: string, paragraphs: readonly string[]): string[] => {
  const scores = new Map<string, number>();
  const first = new Map<string, number>();
  let position = 0;
  const count = (text: string, weight: number): void => {
    for (const match of text.matchAll(WORD)) {
      const word = match[0].toLowerCase().replace(/['’]s$/, '');
      if (word.length < 3 || STOP.has(word) || FUNCTION_WORDS.has(word)) continue;
      scores.set(word, (scores.get(word) ?? 0) + weight);
      if (!first.has(word)) first.set(word, position++);
    }
  };
  count(headline, 2);
  for (const [index, paragraph] of paragraphs.entries()) count(paragraph, index === 0 ? 1.5 : 1);
  return [...scores.entries()]
    .filter(([, score]) => score >= 2)
    .sort((a, b) => b[1] - a[1] || (first.get(a[0]) ?? 0) - (first.get(b[0]) ?? 0))
    .slice(0, 10)
    .map(([word]) => word);
};
