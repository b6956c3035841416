import { MAX_ARTICLE_BYTES, type RejectionReason } from './article';

export type Decoded = { ok: true; text: string; warnings: string[] };
export type DecodeFailure = { ok: false; reason: RejectionReason; detail: string };

/** Magic numbers of binary formats people upload by mistake. */
const SIGNATURES: ReadonlyArray<{ name: string; bytes: readonly number[] }> = [
  { name: 'PNG image', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { name: 'PDF document', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { name: 'ZIP archive (or Office document)', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'gzip archive', bytes: [0x1f, 0x8b] },
  { name: 'JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { name: 'GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: 'bzip2 archive', bytes: [0x42, 0x5a, 0x68] },
  { name: '7-Zip archive', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { name: 'RAR archive', bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07] },
  { name: 'ELF executable', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { name: 'Windows executable', bytes: [0x4d, 0x5a] },
  { name: 'OLE document (old Word/Excel)', bytes: [0xd0, 0xcf, 0x11, 0xe0] },
  { name: 'WebAssembly module', bytes: [0x00, 0x61, 0x73, 0x6d] },
];

const startsWith = (bytes: Uint8Array, prefix: readonly number[]): boolean =>
  bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);

/** UTF-16 without a BOM shows up as NUL in every other byte; text in any 8-bit encoding never does. */
const sniffBomlessUtf16 = (bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null => {
  const sample = Math.min(bytes.length, 4096) & ~1;
  if (sample < 8) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = sample / 2;
  if (oddZero > pairs * 0.6 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.6 && oddZero < pairs * 0.05) return 'utf-16be';
  return null;
};

const decodeWith = (encoding: string, bytes: Uint8Array, fatal: boolean): string | null => {
  try {
    return new TextDecoder(encoding, { fatal, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
};

/**
 * Windows-1252 differs from Latin-1 in 0x80-0x9F (curly quotes, dashes, the euro sign). Decoded by hand because
 * Node's TextDecoder treats the "windows-1252" label as plain Latin-1 and turns those bytes into C1 controls.
 */
const CP1252_HIGH =
  '\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd' +
  '\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';

export const decodeWindows1252 = (bytes: Uint8Array): string => {
  let text = '';
  for (let start = 0; start < bytes.length; start += 8192) {
    const chunk = bytes.subarray(start, start + 8192);
    const chars = Array.from(chunk, (byte) =>
      byte >= 0x80 && byte <= 0x9f ? (CP1252_HIGH[byte - 0x80] ?? '\ufffd') : String.fromCharCode(byte),
    );
    text += chars.join('');
  }
  return text;
};

/**
 * A UTF-8 file cut in the middle of its last character is still UTF-8: decoding it all as Windows-1252 would
 * turn every accent and curly quote into mojibake. Returns the text without the broken tail, or null when the
 * bytes are not UTF-8 apart from that tail.
 */
const withoutCutTail = (bytes: Uint8Array): string | null => {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const lead = bytes[bytes.length - back] ?? 0;
    if ((lead & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (length <= back) return null;
    return decodeWith('utf-8', bytes.subarray(0, bytes.length - back), true);
  }
  return null;
};

/** Length of the well-formed UTF-8 sequence starting at `i` (Unicode table 3-7), or 0 if there is none. */
const utf8SequenceAt = (bytes: Uint8Array, i: number): number => {
  const b0 = bytes[i] ?? 0;
  const inRange = (k: number, lo = 0x80, hi = 0xbf) => {
    const b = bytes[i + k];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return inRange(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const [lo, hi] = b0 === 0xe0 ? [0xa0, 0xbf] : b0 === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return inRange(1, lo, hi) && inRange(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const [lo, hi] = b0 === 0xf0 ? [0x90, 0xbf] : b0 === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return inRange(1, lo, hi) && inRange(2) && inRange(3) ? 4 : 0;
  }
  return 0;
};

/** More stray bytes than this and the file is not UTF-8 with a few pasted-in bytes: it is read as Windows-1252. */
const MAX_STRAY_BYTES = 1000;

/**
 * UTF-8 where the bytes are well-formed UTF-8, Windows-1252 for each byte that is not: a file holding text from
 * two systems keeps both readable. Only for a file that is mostly UTF-8 (fewer stray bytes than UTF-8
 * sequences, and at most MAX_STRAY_BYTES); anything else decodes exactly as Windows-1252, as before. Cost: one
 * counting pass, then one decoder call per stray byte.
 */
const decodeUtf8With1252 = (bytes: Uint8Array) => {
  let utf8Sequences = 0;
  let strayBytes = 0;
  for (let i = 0; i < bytes.length; ) {
    if ((bytes[i] ?? 0) < 0x80) i += 1;
    else {
      const length = utf8SequenceAt(bytes, i);
      if (length > 0) utf8Sequences += 1;
      else strayBytes += 1;
      i += length || 1;
    }
  }
  if (utf8Sequences === 0 || strayBytes > utf8Sequences || strayBytes > MAX_STRAY_BYTES)
    return { text: decodeWindows1252(bytes), utf8Sequences: 0, strayBytes };
  const utf8 = new TextDecoder('utf-8');
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; ) {
    if ((bytes[i] ?? 0) < 0x80) {
      i += 1;
      continue;
    }
    const length = utf8SequenceAt(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    if (start < i) parts.push(utf8.decode(bytes.subarray(start, i)));
    const byte = bytes[i] ?? 0;
    parts.push(byte <= 0x9f ? (CP1252_HIGH[byte - 0x80] ?? '\ufffd') : String.fromCharCode(byte));
    i += 1;
    start = i;
  }
  parts.push(utf8.decode(bytes.subarray(start)));
  return { text: parts.join(''), utf8Sequences, strayBytes };
};

/** C0/C1 control characters other than tab, newline and carriage return. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Turns raw bytes into text, or says why they are not an article. The size limit is checked before anything
 * is decoded, so an oversized object costs nothing beyond the bytes the caller already holds.
 */
export const decodeBytes = (bytes: Uint8Array): Decoded | DecodeFailure => {
  if (bytes.length > MAX_ARTICLE_BYTES) {
    return {
      ok: false,
      reason: 'too-large',
      detail: `${bytes.length} bytes is over the ${MAX_ARTICLE_BYTES}-byte limit`,
    };
  }
  if (bytes.length === 0) return { ok: false, reason: 'empty', detail: 'the file has no bytes' };
  const warnings: string[] = [];
  let text: string | null = null;
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    text = decodeWith('utf-8', bytes.subarray(3), false);
    warnings.push('removed a UTF-8 byte order mark');
  } else if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    const encoding = bytes[0] === 0xff ? 'utf-16le' : 'utf-16be';
    text = decodeWith(encoding, bytes.subarray(2), false);
    warnings.push(`decoded as ${encoding.toUpperCase()} (byte order mark)`);
  } else {
    const signature = SIGNATURES.find((candidate) => startsWith(bytes, candidate.bytes));
    if (signature) return { ok: false, reason: 'not-text', detail: `the file is a ${signature.name}` };
    const utf16 = sniffBomlessUtf16(bytes);
    if (utf16) {
      text = decodeWith(utf16, bytes, false);
      warnings.push(`decoded as ${utf16.toUpperCase()} (no byte order mark; guessed from the byte pattern)`);
    } else {
      if (bytes.includes(0)) return { ok: false, reason: 'not-text', detail: 'the file contains NUL bytes' };
      text = decodeWith('utf-8', bytes, true);
      const cut = text === null ? withoutCutTail(bytes) : null;
      if (cut !== null) {
        text = cut;
        warnings.push('removed an incomplete UTF-8 character at the end (the file was cut short)');
      }
      if (text === null) {
        // Not valid UTF-8: Windows-1252 is the superset of Latin-1 that old newsroom systems write, and maps
        // 0xA3 to "£" and 0x93/0x94 to curly quotes. Valid UTF-8 sequences in the same file stay UTF-8.
        const mixed = decodeUtf8With1252(bytes);
        text = mixed.text;
        warnings.push(
          mixed.utf8Sequences > 0
            ? `decoded as UTF-8 with ${mixed.strayBytes} byte${mixed.strayBytes === 1 ? '' : 's'} of Windows-1252 mixed in`
            : 'decoded as Windows-1252 (the bytes are not valid UTF-8)',
        );
      }
    }
  }
  if (text === null)
    return { ok: false, reason: 'not-text', detail: 'the bytes could not be decoded as text' };
  return checkTextLike(text, warnings);
};

const checkTextLike = (text: string, warnings: string[]): Decoded | DecodeFailure => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL counts as nothing when judging emptiness.
  if (text.replace(CONTROL, '').replace(/[\s\u0000\ufeff\u200b]+/g, '') === '') {
    return { ok: false, reason: 'empty', detail: 'the file holds only whitespace or control characters' };
  }
  if (text.includes('\u0000'))
    return { ok: false, reason: 'not-text', detail: 'the text contains NUL characters' };
  const controls = text.match(CONTROL)?.length ?? 0;
  const replacement = text.match(/\ufffd/g)?.length ?? 0;
  if (text.length > 0 && (controls + replacement) / text.length > 0.05) {
    return {
      ok: false,
      reason: 'not-text',
      detail: `${controls + replacement} of ${text.length} characters are control or undecodable characters`,
    };
  }
  if (controls > 0) {
    warnings.push(`removed ${controls} control character${controls === 1 ? '' : 's'}`);
    return { ok: true, text: text.replace(CONTROL, ''), warnings };
  }
  return { ok: true, text, warnings };
};
