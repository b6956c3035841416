import { describe, expect, it } from 'vitest';
import { isRejection, normaliseArticle } from '../../functions/core/index';
import { PROSE } from './support/hostile-cases';

/**
 * Found by the hostile-input drill: a UTF-8 file with a few Windows-1252 bytes pasted in (two systems' text in
 * one file) was decoded entirely as Windows-1252, so every correct UTF-8 accent and quote in it became mojibake
 * ("Zoë" -> "ZoÃ«"). Each valid UTF-8 sequence now stays UTF-8 and only the stray bytes are read as
 * Windows-1252. A file with no UTF-8 sequences at all decodes exactly as before.
 */
const utf8Part = `${PROSE}The café’s owner, Zoë Brontë, said “it is about time”.\n\n`;

describe('drill finding: UTF-8 with stray Windows-1252 bytes', () => {
  it('keeps the UTF-8 text and reads only the stray bytes as Windows-1252', () => {
    const bytes = Buffer.concat([
      Buffer.from(utf8Part, 'utf8'),
      Buffer.from('The old system wrote ', 'latin1'),
      Buffer.from([0x93, 0x6e, 0x61, 0xef, 0x76, 0x65, 0x94, 0x20, 0xa3, 0x35, 0x0a]), // “naïve” £5
    ]);
    const result = normaliseArticle(bytes, 'mixed.txt');
    if (isRejection(result)) throw new Error(`rejected: ${result.detail}`);
    const all = result.paragraphs.join('\n');
    expect(all).toContain('The café’s owner, Zoë Brontë, said “it is about time”.');
    expect(all).toContain('The old system wrote “naïve” £5');
    expect(all).not.toMatch(/Ã|â€/);
    expect(result.warnings.join(' ')).toContain('Windows-1252');
  });

  it('decodes a file that is Windows-1252 throughout exactly as before', () => {
    const text = `${PROSE.replace(/"/g, '')} café naïve`;
    const bytes = Buffer.concat([Buffer.from(text, 'latin1'), Buffer.from([0x93, 0x41, 0x94, 0x0a])]);
    const result = normaliseArticle(bytes, 'cp1252.txt');
    if (isRejection(result)) throw new Error(`rejected: ${result.detail}`);
    expect(result.paragraphs.join('\n')).toContain('café naïve“A”');
    expect(result.warnings).toContain('decoded as Windows-1252 (the bytes are not valid UTF-8)');
  });

  it('does not take overlong or surrogate sequences for UTF-8', () => {
    const bytes = Buffer.concat([
      Buffer.from(utf8Part, 'utf8'),
      Buffer.from([0xc0, 0xaf, 0x20, 0xed, 0xa0, 0x80, 0x20, 0xc3, 0xa9, 0x0a]), // overlong "/", a surrogate, é
    ]);
    const result = normaliseArticle(bytes, 'odd.txt');
    if (isRejection(result)) throw new Error(`rejected: ${result.detail}`);
    const all = result.paragraphs.join('\n');
    expect(all).toContain('À¯'); // C0 AF is no UTF-8 (overlong): two Windows-1252 characters
    expect(all).toContain('€ é'); // ED A0 80 is no UTF-8 (a surrogate): í, a no-break space, €; C3 A9 is é
    expect(all).not.toContain('\ud800');
  });
});
