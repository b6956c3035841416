import { describe, expect, it } from 'vitest';
import { runFuzz } from './support/fuzz';

/** Drill 6 at npm-test size (500 inputs, fixed seed); `npm run drill` runs 10,000 and reports per-input time. */
describe('drill: fuzzing the article core', () => {
  it('never throws, never hides a parser failure, and keeps its promises about the text', () => {
    const result = runFuzz({ count: 500, seed: 6, log: console.log });
    expect(result.inputs).toBe(500);
    expect(result.violations).toEqual([]);
    expect(result.articles).toBeGreaterThan(50);
  }, 60_000);
});
