import { gzipSync } from 'node:zlib';
import { MAX_ARTICLE_BYTES } from '../../../functions/core/article';

/**
 * Hostile files for the whole pipeline, each with the outcome the product documents for it (functions/core/
 * article.ts REJECTION_REASONS, and the ingest's size limit). Written for the drills; no corpus text.
 * `expect` is the recorded status and, for a rejection, the reason; `refused` marks a key the local S3
 * (s3rver) itself refuses, a documented local limit: a key segment between slashes over about 230 bytes.
 */
export type Expected =
  | { status: 'ingested' }
  | { status: 'rejected'; reason: 'empty' | 'not-text' | 'too-large' | 'too-short' | 'unsupported-format' }
  | { status: 'refused' };

export interface HostileCase {
  name: string;
  key: string;
  body: () => Buffer;
  expect: Expected;
}

/** Our own prose, long enough to be an article (over MIN_ARTICLE_WORDS) with a date, a person and a place. */
export const PROSE =
  ' date 2025-03-04 Councillors in the coastal town of Port Elmsworth voted on Monday to rebuild the old harbour wall, ending a dispute that has divided residents for almost a decade.\n\n' +
  'Mayor Helena Trask said the town could no longer afford to wait for a perfect plan, and that work would begin in the spring.\n\n' +
  '"We have argued about this wall for nine years and the sea has not waited for us once," Trask told a packed meeting.\n';

const ingested: Expected = { status: 'ingested' };
const rejected = (reason: Extract<Expected, { status: 'rejected' }>['reason']): Expected => ({
  status: 'rejected',
  reason,
});

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const nested = (depth: number) =>
  `<html><body>${'<div>'.repeat(depth)}${PROSE}${'</div>'.repeat(depth)}</body></html>`;
/** Lines of words, no punctuation, to a given size: prose the parser must walk without sentence breaks. */
const words = (bytes: number) => {
  const line = 'harbour wall council vote mayor storm town market ';
  return Buffer.from(line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes), 'utf8');
};

export const HOSTILE_CASES: readonly HostileCase[] = [
  { name: 'empty file', key: 'hostile/empty.txt', body: () => Buffer.alloc(0), expect: rejected('empty') },
  {
    name: 'only whitespace',
    key: 'hostile/spaces.txt',
    body: () => utf8(' \t\n\r\n   \n'),
    expect: rejected('empty'),
  },
  {
    name: 'a million blank lines',
    key: 'hostile/blank-lines.txt',
    body: () => Buffer.alloc(1_000_000, 0x0a),
    expect: rejected('empty'),
  },
  {
    name: 'only a BOM',
    key: 'hostile/bom-only.txt',
    body: () => Buffer.from([0xef, 0xbb, 0xbf]),
    expect: rejected('empty'),
  },
  {
    name: 'only control characters',
    key: 'hostile/controls.txt',
    body: () => Buffer.from([1, 2, 3, 7, 8, 0x1b, 0x7f, 0x0b, 0x0c]),
    expect: rejected('empty'),
  },
  {
    name: 'PNG image',
    key: 'hostile/image.png',
    body: () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]),
    expect: rejected('not-text'),
  },
  {
    name: 'PDF document',
    key: 'hostile/doc.pdf',
    body: () => utf8(`%PDF-1.7\n${PROSE}`),
    expect: rejected('not-text'),
  },
  {
    name: 'gzip of an article',
    key: 'hostile/article.txt.gz',
    body: () => gzipSync(utf8(PROSE)),
    expect: rejected('not-text'),
  },
  {
    name: 'NUL bytes inside prose',
    key: 'hostile/nul.txt',
    body: () => Buffer.concat([utf8(PROSE), Buffer.alloc(64), utf8(PROSE)]),
    expect: rejected('not-text'),
  },
  {
    name: 'random binary',
    key: 'hostile/random.bin',
    body: () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)),
    expect: rejected('not-text'),
  },
  {
    name: 'JSON document',
    key: 'hostile/feed.json',
    body: () => utf8(JSON.stringify({ items: [{ title: 'Harbour wall', body: PROSE }] })),
    expect: rejected('unsupported-format'),
  },
  {
    name: 'XML feed',
    key: 'hostile/feed.xml',
    body: () =>
      utf8(
        `<?xml version="1.0"?><rss><channel><item><title>Harbour</title><description>${PROSE}</description></item></channel></rss>`,
      ),
    expect: rejected('unsupported-format'),
  },
  {
    name: 'too short',
    key: 'hostile/short.txt',
    body: () => utf8('The harbour wall will be rebuilt.'),
    expect: rejected('too-short'),
  },
  {
    name: '10 MB of one line',
    key: 'hostile/one-line-10mb.txt',
    body: () => words(10 * 1024 * 1024),
    expect: rejected('too-large'),
  },
  {
    name: 'one byte over the size limit',
    key: 'hostile/over-limit.txt',
    body: () => words(MAX_ARTICLE_BYTES + 1),
    expect: rejected('too-large'),
  },
  {
    name: '1 MB of one line of words (at the limit)',
    key: 'hostile/one-line-1mb.txt',
    body: () => words(MAX_ARTICLE_BYTES),
    expect: ingested,
  },
  {
    name: 'one 1 MB word',
    key: 'hostile/one-word.txt',
    body: () => Buffer.alloc(MAX_ARTICLE_BYTES, 0x61),
    expect: rejected('too-short'),
  },
  {
    name: 'truncated UTF-8 at the end',
    key: 'hostile/truncated-utf8.txt',
    body: () => Buffer.concat([utf8(`${PROSE}Café`), Buffer.from([0xe2, 0x82])]),
    expect: ingested,
  },
  {
    name: 'mixed UTF-8 and Latin-1 bytes',
    key: 'hostile/mixed-encoding.txt',
    body: () => Buffer.concat([utf8(`${PROSE}Café `), Buffer.from('naïve façade\n', 'latin1')]),
    expect: ingested,
  },
  {
    name: 'Windows-1252 curly quotes',
    key: 'hostile/cp1252.txt',
    body: () =>
      Buffer.concat([Buffer.from(PROSE.replace(/"/g, ''), 'latin1'), Buffer.from([0x93, 0x41, 0x94, 0x0a])]),
    expect: ingested,
  },
  {
    name: 'UTF-16 without a BOM',
    key: 'hostile/utf16-nobom.txt',
    body: () => Buffer.from(PROSE, 'utf16le'),
    expect: ingested,
  },
  {
    name: 'control characters in prose',
    key: 'hostile/controls-in-prose.txt',
    body: () => utf8(PROSE.replace(/ /g, (_, i: number) => (i % 7 === 0 ? ' \u0007\u001b ' : ' '))),
    expect: ingested,
  },
  {
    name: 'right-to-left text',
    key: 'hostile/rtl.txt',
    body: () =>
      utf8(
        `${'مجلس المدينة صوت يوم الاثنين على إعادة بناء جدار الميناء القديم بعد عاصفة الشتاء. '.repeat(4)}\n\n${'ועדת העירייה הצביעה על בניית החומה מחדש בנמל הישן של העיר. '.repeat(3)}`,
      ),
    expect: ingested,
  },
  {
    name: 'bidi overrides and zero-width characters',
    key: 'hostile/zero-width.txt',
    body: () =>
      utf8(
        PROSE.replace(/a/g, 'a\u200b')
          .replace(/Trask/g, '\u202eksarT\u202c\u200d')
          .replace(/wall/g, 'w\ufeffall'),
      ),
    expect: ingested,
  },
  {
    name: 'deeply nested HTML',
    key: 'hostile/nested.html',
    body: () => utf8(nested(20_000)),
    expect: ingested,
  },
  {
    name: 'lone surrogate escapes and emoji',
    key: 'hostile/emoji.txt',
    body: () => utf8(`${PROSE}🌊🌊🌊 \\ud800 ${'🏗️'.repeat(500)}\n`),
    expect: ingested,
  },
  {
    name: 'hundreds of names (an ordered write)',
    key: 'hostile/many-names.txt',
    body: () =>
      utf8(
        ` date 2025-03-04 ${Array.from({ length: 300 }, (_, i) => `Mayor Name${String.fromCharCode(65 + (i % 26))}${i} Trask${i} met councillors.`).join(' ')}\n`,
      ),
    expect: ingested,
  },
  { name: 'key with unicode', key: 'hostile/été/記事 ✓.txt', body: () => utf8(PROSE), expect: ingested },
  {
    name: 'key with spaces',
    key: 'hostile/a key with  spaces .txt',
    body: () => utf8(PROSE),
    expect: ingested,
  },
  { name: 'key with plus signs', key: 'hostile/1+1=2+more.txt', body: () => utf8(PROSE), expect: ingested },
  {
    name: 'key with percent signs',
    key: 'hostile/100% sure %2B %zz.txt',
    body: () => utf8(PROSE),
    expect: ingested,
  },
  {
    name: 'key with a question mark and a hash',
    key: 'hostile/what?#now.txt',
    body: () => utf8(PROSE),
    expect: ingested,
  },
  {
    name: 'long key within the local segment limit',
    key: `hostile/${'s'.repeat(230)}/${'t'.repeat(230)}/${'u'.repeat(230)}/${'v'.repeat(226)}.txt`,
    body: () => utf8(PROSE),
    expect: ingested,
  },
  {
    name: 'last key segment exactly at the local limit',
    key: `hostile/${'é'.repeat(116)}x`,
    body: () => utf8(PROSE),
    expect: ingested,
  },
  {
    name: 'key segment beyond the local limit',
    key: `hostile/${'x'.repeat(300)}.txt`,
    body: () => utf8(PROSE),
    expect: { status: 'refused' },
  },
];
