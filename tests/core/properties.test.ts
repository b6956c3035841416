import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArticleSchema, isRejection, normaliseArticle, RejectionSchema } from '../../functions/core';
import { expectArticle, fixture, SEED, serialise } from './helpers';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

const validates = (bytes: Uint8Array): boolean => {
  const result = normaliseArticle(bytes, 'fuzz');
  return isRejection(result)
    ? RejectionSchema.safeParse(result).success
    : ArticleSchema.safeParse(result).success;
};

/** Bytes that start like something real: a BOM, a binary signature, a date line or HTML. */
const PREFIXES = [
  [],
  [0xef, 0xbb, 0xbf],
  [0xff, 0xfe],
  [0xfe, 0xff],
  [0x89, 0x50, 0x4e, 0x47],
  [0x1f, 0x8b],
  [...encode('date 2024-11-13 ')],
  [...encode('<html><p>')],
  [...encode('{"a":')],
];

describe('properties', () => {
  it('never throws on arbitrary bytes, and always returns a valid record or rejection', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PREFIXES), fc.uint8Array({ maxLength: 3000 }), (prefix, body) =>
        validates(new Uint8Array([...prefix, ...body])),
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary Unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 2000 }), (text) => validates(encode(text))),
      { numRuns: 300 },
    );
  });

  it('never throws on text made of article-like pieces', () => {
    const piece = fc.constantFrom(
      'Mr',
      'President',
      'Sergei Shoigu',
      'Shoigu',
      '"',
      '“',
      '”',
      ' said',
      ' he said.',
      ':',
      'date 2024-02-30',
      '\n',
      '\n\n',
      'BEIJING',
      'in London',
      'the BBC',
      "China's",
      ' (',
      ')',
      'on Tuesday',
      'Last month',
      'of the',
      ' and ',
      '&',
      '-',
      'A.',
      'U.S.',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 12 })), { maxLength: 200 }), (pieces) =>
        validates(encode(pieces.join(' '))),
      ),
      { numRuns: 300 },
    );
  });

  const word = fc.constantFrom(
    'the',
    'plan',
    'council',
    'would',
    'money',
    'workers',
    'said',
    'new',
    'city',
    'talks',
  );
  const name = fc.constantFrom('Sarah Claxton', 'Wang Yi', 'Richard Parsons', 'Moira Dunbar', 'Callum Reid');
  const place = fc.constantFrom('Beijing', 'Madrid', 'London', 'Russia', 'North Korea');
  const org = fc.constantFrom('the BBC', 'Google', 'the Security Council', 'NATO', 'Labour');
  const sentence = fc
    .tuple(
      name,
      fc.array(word, { minLength: 3, maxLength: 8 }),
      place,
      org,
      fc.array(word, { minLength: 4, maxLength: 8 }),
    )
    .map(
      ([who, middle, where, body, quote]) =>
        `${who} ${middle.join(' ')} in ${where} with ${body}. "${quote.join(' ')}," ${who.split(' ')[1]} said.`,
    );
  const generated = fc
    .record({
      date: fc.option(fc.constantFrom('2024-11-13', '2005-02-01', '2024-13-45'), { nil: undefined }),
      headline: fc.option(fc.constantFrom('Talks held in the capital', 'Council wins grant'), {
        nil: undefined,
      }),
      paragraphs: fc.array(fc.array(sentence, { minLength: 1, maxLength: 3 }), {
        minLength: 2,
        maxLength: 6,
      }),
    })
    .map(({ date, headline, paragraphs }) =>
      [date ? `date ${date}` : '', headline ?? '', ...paragraphs.map((p) => p.join(' '))]
        .filter((part) => part)
        .join('\n\n'),
    );

  const roundTrips = (bytes: Uint8Array): void => {
    const first = expectArticle(normaliseArticle(bytes, 'a'));
    const second = expectArticle(normaliseArticle(encode(serialise(first)), 'a'));
    expect(second.paragraphs).toEqual(first.paragraphs);
    expect(second.people).toEqual(first.people);
    expect(second.places).toEqual(first.places);
    expect(second.organizations).toEqual(first.organizations);
    expect(second.headline).toEqual(first.headline);
  };

  it('re-normalising an article’s own text gives the same paragraphs and entities (real articles)', () => {
    const files = [
      'headline-first.txt',
      'date-headline-dateline.txt',
      'section-label.txt',
      'single-newline.txt',
    ];
    for (const name of files) roundTrips(fixture(name));
    roundTrips(readFileSync(SEED));
    roundTrips(fixture('encodings/windows-1252.txt'));
  });

  it('re-normalising an article’s own text gives the same paragraphs and entities (generated articles)', () => {
    fc.assert(
      fc.property(generated, (text) => {
        roundTrips(encode(text));
      }),
      { numRuns: 150 },
    );
  });
});

describe('hostile input', () => {
  // Shapes that once made a regular expression or a window go quadratic; each must come back as a value.
  const shapes: Record<string, string> = {
    'unclosed comments': `<html>${'<!-- x '.repeat(20_000)}`,
    'a sea of "<"': `<html> ${'<a b '.repeat(20_000)}`,
    'unclosed titles': `<html>${'<title>x '.repeat(20_000)}`,
    'initials without end': 'A. '.repeat(30_000),
    'one long quote-filled line': '"Mr Smith said," he said. '.repeat(5_000),
    'nested brackets': '['.repeat(100_000),
  };
  it.each(Object.entries(shapes))('%s', (_, text) => {
    const result = normaliseArticle(encode(text), 'hostile');
    expect(
      isRejection(result)
        ? RejectionSchema.safeParse(result).success
        : ArticleSchema.safeParse(result).success,
    ).toBe(true);
  });
});
