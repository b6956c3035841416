import { describe, expect, it } from 'vitest';
import { isRejection, normaliseArticle } from '../../functions/core/index';
import { PROSE } from './support/hostile-cases';

/**
 * Found by the hostile-input drill: a UTF-8 file cut in the middle of its last character (a truncated copy, a
 * size-limited export) was decoded entirely as Windows-1252, so every accent and curly quote in it became
 * mojibake ("Café" -> "CafÃ©"). Only the broken tail is dropped now, with a warning; the rest stays UTF-8.
 */
const text = `${PROSE}The café’s owner, Zoë Brontë, said “it is about time” and smiled.`;

describe('drill finding: UTF-8 cut mid-character at the end', () => {
  it.each([1, 2])('keeps the text UTF-8 when the last character lost %i byte(s)', (cut) => {
    const last = Buffer.from('€', 'utf8'); // three bytes
    const bytes = Buffer.concat([Buffer.from(`${text} Price 5`, 'utf8'), last.subarray(0, 3 - cut)]);
    const result = normaliseArticle(bytes, 'cut.txt');
    if (isRejection(result)) throw new Error(`rejected: ${result.detail}`);
    const all = result.paragraphs.join('\n');
    expect(all).toContain('The café’s owner, Zoë Brontë, said “it is about time”');
    expect(all).not.toContain('Ã');
    expect(result.warnings.join(' ')).toContain('incomplete UTF-8 character');
  });

  it('still decodes genuinely non-UTF-8 bytes as Windows-1252', () => {
    const bytes = Buffer.concat([
      Buffer.from(PROSE, 'latin1'),
      Buffer.from([0x93, 0x41, 0x94, 0x20, 0xe9, 0x0a]),
    ]);
    const result = normaliseArticle(bytes, 'cp1252.txt');
    if (isRejection(result)) throw new Error(`rejected: ${result.detail}`);
    expect(result.paragraphs.join('\n')).toContain('“A” é');
    expect(result.warnings.join(' ')).toContain('Windows-1252');
  });
});
