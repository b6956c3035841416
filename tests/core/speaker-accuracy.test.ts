import { describe, expect, it } from 'vitest';
import { normaliseArticle } from '../../functions/core';
import { speakerAccuracy } from './speaker-accuracy';

describe('speaker accuracy on hand-annotated invented articles', () => {
  it('gives at least nine quotes in ten to the annotated speaker, and finds every quote', () => {
    const score = speakerAccuracy(normaliseArticle);
    console.log(
      `speaker accuracy ${score.right}/${score.annotated} = ${score.accuracy.toFixed(3)}; quotes found ${score.found}/${score.annotated}`,
    );
    expect(score.annotated).toBeGreaterThanOrEqual(30);
    expect(score.wrong).toEqual(score.wrong.slice(0, Math.floor(score.annotated * 0.1)));
    expect(score.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(score.found).toBe(score.annotated);
  });
});
