import fc from 'fast-check';
import { ArticleSchema, isRejection, RejectionSchema } from '../../../functions/core/article';
import { normaliseArticle } from '../../../functions/core/index';
import { makeArticle } from './articles';
import { intBetween, makeRng, pick, type Rng } from './rng';

/**
 * Drill 6: generated inputs (fast-check, fixed seed) and mutations of the drill's own articles through the core.
 * Beyond "returns a valid record or rejection", it checks what the design promises of the output and looks for
 * failures the core's safety net would hide: a rejection whose detail says the parser itself failed.
 */
export interface FuzzResult {
  inputs: number;
  articles: number;
  rejections: Record<string, number>;
  /** Inputs whose result broke a promise, with what was broken (must be empty). */
  violations: Array<{ label: string; problem: string }>;
  slowest: Array<{ label: string; ms: number; bytes: number }>;
  overOneSecond: number;
  totalMs: number;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const SWALLOWED = 'the file could not be parsed as an article (';

const INSERTS = [
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u200b',
  '\u200d',
  '\u202e',
  '\u2066',
  '\ufeff',
  '\ufffd',
  '\r',
  '\r\n',
  '\n\n\n',
  '"',
  '“',
  '”',
  '«',
  '»',
  "'",
  '(',
  ')',
  '[',
  '<p>',
  '</div>',
  '<script>x</script>',
  '&amp;',
  '&#0;',
  ' date 2024-02-30 ',
  ' date 9999-99-99 ',
  'Mr ',
  'President ',
  'U.S.',
  'on Tuesday',
  'last month',
  '🌊',
  'é',
  'e\u0301',
  'ﬁ',
  'İ',
  '\t',
  ' said. ',
  ' — ',
  '...',
  'BEIJING (Reuters) - ',
  '{"a":1}',
  '%PDF-',
  '\\',
  '\ud800',
];

const mutate = (rng: Rng, base: Buffer): { label: string; bytes: Buffer } => {
  const kind = intBetween(rng, 0, 9);
  const at = intBetween(rng, 0, base.length);
  switch (kind) {
    case 0: {
      const copy = Buffer.from(base);
      for (let i = intBetween(rng, 1, 20); i > 0; i--)
        copy[intBetween(rng, 0, copy.length - 1)] = intBetween(rng, 0, 255);
      return { label: 'flipped bytes', bytes: copy };
    }
    case 1:
      return { label: 'truncated', bytes: base.subarray(0, at) };
    case 2: {
      const pieces = Array.from({ length: intBetween(rng, 1, 30) }, () => pick(rng, INSERTS)).join('');
      return {
        label: 'inserted pieces',
        bytes: Buffer.concat([base.subarray(0, at), Buffer.from(pieces), base.subarray(at)]),
      };
    }
    case 3:
      return {
        label: 'repeated slice',
        bytes: Buffer.concat([
          base,
          Buffer.from(
            base
              .subarray(at, at + 200)
              .toString()
              .repeat(intBetween(rng, 2, 200)),
          ),
        ]),
      };
    case 4:
      return { label: 'UTF-16LE', bytes: Buffer.from(base.toString('utf8'), 'utf16le') };
    case 5:
      return {
        label: 'Latin-1 bytes',
        bytes: Buffer.from(base.toString('utf8').replace(/a/g, 'à'), 'latin1'),
      };
    case 6:
      return { label: 'no spaces', bytes: Buffer.from(base.toString('utf8').replace(/ /g, '')) };
    case 7:
      return {
        label: 'every newline doubled',
        bytes: Buffer.from(base.toString('utf8').replace(/\n/g, '\n\n\n\n')),
      };
    case 8:
      return {
        label: 'HTML wrapped',
        bytes: Buffer.from(
          `<html><body><p>${base.toString('utf8').replace(/\n\n/g, '</p><p>')}</p></body></html>`,
        ),
      };
    default:
      return { label: 'upper-cased', bytes: Buffer.from(base.toString('utf8').toUpperCase()) };
  }
};

const generated = (count: number, seed: number): Array<{ label: string; bytes: Buffer }> => {
  const arb = fc.oneof(
    fc.uint8Array({ maxLength: 4000 }).map((b) => ({ label: 'random bytes', bytes: Buffer.from(b) })),
    fc
      .string({ unit: 'grapheme', maxLength: 3000 })
      .map((s) => ({ label: 'random text', bytes: Buffer.from(s) })),
    fc
      .array(fc.oneof(fc.constantFrom(...INSERTS), fc.lorem({ maxCount: 8 })), { maxLength: 300 })
      .map((parts) => ({ label: 'article-like pieces', bytes: Buffer.from(parts.join(' ')) })),
  );
  return fc.sample(arb, { seed, numRuns: count });
};

const check = (bytes: Buffer, label: string): string | null => {
  const result = normaliseArticle(bytes, `fuzz/${label}.txt`);
  if (isRejection(result)) {
    if (!RejectionSchema.safeParse(result).success) return 'rejection does not match its schema';
    if (result.detail.startsWith(SWALLOWED)) return `the parser threw: ${result.detail}`;
    return null;
  }
  if (!ArticleSchema.safeParse(result).success) return 'article does not match its schema';
  if (result.wordCount < 20) return `article of ${result.wordCount} words`;
  for (const text of [result.headline, ...result.paragraphs]) {
    if (CONTROL.test(text)) return 'control character in the text';
    if (text !== text.normalize('NFC')) return 'text is not NFC';
  }
  if (result.paragraphs.some((p) => p.trim() === '')) return 'empty paragraph';
  return null;
};

export const runFuzz = (options: {
  count: number;
  seed: number;
  log?: (line: string) => void;
}): FuzzResult => {
  const rng = makeRng(options.seed);
  const half = Math.floor(options.count / 2);
  const bases = Array.from({ length: 20 }, (_, i) => Buffer.from(makeArticle(rng, i % 5 === 0).text, 'utf8'));
  const inputs = [
    ...generated(options.count - half, options.seed),
    ...Array.from({ length: half }, () => mutate(rng, pick(rng, bases))),
  ];
  const result: FuzzResult = {
    inputs: inputs.length,
    articles: 0,
    rejections: {},
    violations: [],
    slowest: [],
    overOneSecond: 0,
    totalMs: 0,
  };
  for (const { label, bytes } of inputs) {
    const started = performance.now();
    let problem: string | null;
    try {
      problem = check(bytes, label);
    } catch (error) {
      problem = `threw ${error instanceof Error ? error.name : 'a non-error'}`;
    }
    const ms = performance.now() - started;
    result.totalMs += ms;
    if (ms > 1000) result.overOneSecond += 1;
    result.slowest.push({ label, ms: Math.round(ms), bytes: bytes.length });
    result.slowest.sort((a, b) => b.ms - a.ms).splice(5);
    if (problem) result.violations.push({ label, problem });
    const outcome = normaliseOutcome(bytes);
    if (outcome === 'article') result.articles += 1;
    else result.rejections[outcome] = (result.rejections[outcome] ?? 0) + 1;
  }
  options.log?.(
    `fuzz: ${result.inputs} inputs (${options.count - half} generated, ${half} mutated) -> ${result.articles} articles, rejections ${JSON.stringify(result.rejections)}; ${result.violations.length} violations; slowest ${result.slowest[0]?.ms ?? 0} ms; total ${Math.round(result.totalMs)} ms`,
  );
  return result;
};

const normaliseOutcome = (bytes: Buffer): string => {
  const r = normaliseArticle(bytes, 'fuzz');
  return isRejection(r) ? r.reason : 'article';
};
