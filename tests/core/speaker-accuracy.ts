import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isRejection, type normaliseArticle } from '../../functions/core';
import { FIXTURES } from './helpers';

/**
 * Speaker accuracy over hand-annotated invented articles (tests/fixtures/articles/speakers): every quote of four
 * words or more is annotated with the speaker a careful reader names (null when the text names nobody). A quote
 * the parser misses counts as wrong. The parser is passed in so a bench can score another version the same way.
 */
const GoldSchema = z.object({
  quotes: z.array(z.object({ start: z.string(), speaker: z.string().nullable() })),
});

export const SPEAKER_FIXTURES = join(FIXTURES, 'speakers');

export type SpeakerScore = {
  annotated: number;
  found: number;
  right: number;
  accuracy: number;
  wrong: Array<{ file: string; start: string; expected: string | null; got: string | null | undefined }>;
};

export const speakerAccuracy = (parse: typeof normaliseArticle, dir = SPEAKER_FIXTURES): SpeakerScore => {
  const score: SpeakerScore = { annotated: 0, found: 0, right: 0, accuracy: 0, wrong: [] };
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.txt'))) {
    const result = parse(readFileSync(join(dir, file)), file);
    const gold = GoldSchema.parse(
      JSON.parse(readFileSync(join(dir, file.replace(/\.txt$/, '.json')), 'utf8')),
    );
    const quotes = isRejection(result) ? [] : result.quotes;
    for (const expected of gold.quotes) {
      score.annotated++;
      const quote = quotes.find((candidate) => candidate.text.startsWith(expected.start));
      if (quote) score.found++;
      if (quote && quote.speaker === expected.speaker) score.right++;
      else score.wrong.push({ file, start: expected.start, expected: expected.speaker, got: quote?.speaker });
    }
  }
  score.accuracy = score.annotated === 0 ? 0 : score.right / score.annotated;
  return score;
};
