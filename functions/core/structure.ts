import { readDateValue } from './published-date';
import { cleanText, joinLines, splitSentences, words } from './text';

export type Structure = {
  publishedDate: string | null;
  headline: string;
  headlineSource: 'title' | 'lede';
  dateline: string | null;
  section: string | null;
  paragraphs: string[];
  warnings: string[];
};

const SECTIONS = new Set(
  (
    'world|uk|us|business|politics|sport|sports|technology|tech|science|health|entertainment|arts|culture|' +
    'opinion|comment|environment|education|economy|money|markets|travel|lifestyle|obituaries|europe|asia|' +
    'africa|americas|middle east|australia|local|national|international|news|world news|uk news|us news|' +
    'breaking news|weather|motoring|property|fashion|food|books|music|film|media|science & environment|' +
    'entertainment & arts|business news|sport news|technology news|analysis|features|investigations'
  ).split('|'),
);

const DATE_HEADER = /^(?:date|dated|published|publication date)\s*(:)?\s*/i;
const SECTION_HEADER = /^(?:section|category|desk)\s*:\s*(.+)$/i;

/*
 * The header rule (also in the README's article-core section). Before the body come at most three header
 * items, in any order, each on a line of its own (or in the rest of the `date` line):
 * - a section label is a short known label ("International", "Business") or `Section: X`;
 * - a dateline is an upper-case place of one to four words ("BEIJING", "NEW YORK", "WASHINGTON, D.C."), with
 *   an optional date ("Nov 13") and agency in brackets ("(AFP)"), alone on a line or, at the very start of
 *   the lede, before a dash: `BEIJING (AFP) - `, `LONDON, Nov 13 (Reuters) - `, `WASHINGTON — `. The record's
 *   dateline is the place alone ("LONDON"); the date and agency are dropped with it from the lede;
 * - a headline is short (at most 30 words on a line of its own, 20 in the rest of the date line, where a lede
 *   may also start), has no sentence-final full stop, and stands alone on its line.
 * Anything else starts the body: the date line's rest is then the lede (the seed format).
 */
const PLACE = String.raw`(\p{Lu}[\p{Lu}.'’-]*(?: +\p{Lu}[\p{Lu}.'’-]*){0,3})`;
/** ", D.C." or ", Nov 13" or ", Nov. 13": a state abbreviation (kept) or a date (dropped). */
const PLACE_TAIL = String.raw`(?:,\s*([\p{L}\p{N}.]+(?: [\p{L}\p{N}.]+){0,2}))?`;
const AGENCY = String.raw`(?:\s*\([^()]{1,40}\))?`;
const DATELINE_LINE = new RegExp(`^${PLACE}${PLACE_TAIL}${AGENCY}\\s*[-–—:]?$`, 'u');
const WIRE_DATELINE = new RegExp(`^${PLACE}${PLACE_TAIL}${AGENCY}\\s*(?:--|[-–—])\\s+(?=\\S)`, 'u');

const placeOf = (match: RegExpExecArray): string | null => {
  const place = match[1] ?? '';
  if (!/\p{Lu}{2}/u.test(place)) return null;
  const tail = match[2];
  // "WASHINGTON, D.C." keeps its state; "LONDON, Nov 13" loses its date.
  return tail && /^[\p{Lu}. ]+$/u.test(tail) ? `${place}, ${tail}` : place;
};

const datelineOf = (line: string): string | null => {
  const match = DATELINE_LINE.exec(line);
  return match ? placeOf(match) : null;
};

/** A wire dateline at the start of the lede: the place, and the lede without it. */
export const splitWireDateline = (lede: string): { dateline: string; lede: string } | null => {
  const match = WIRE_DATELINE.exec(lede);
  const place = match ? placeOf(match) : null;
  if (!match || !place) return null;
  return { dateline: place, lede: lede.slice(match[0].length) };
};

const sectionOf = (line: string): string | null => {
  const labelled = SECTION_HEADER.exec(line)?.[1];
  if (labelled) return labelled.trim();
  return SECTIONS.has(line.toLowerCase()) ? line.trim() : null;
};

/** A sentence-final full stop, possibly inside closing quotes or brackets; an ellipsis ("Apple...") is not one. */
const ENDS_SENTENCE = /(?:^|[^.])\.["”’')\]]*$/;

const isHeadlineLike = (line: string, maxWords = 30): boolean => {
  const count = words(line).length;
  return (
    line.length <= 250 && count <= maxWords && count > 0 && !/[,;:]$/.test(line) && !ENDS_SENTENCE.test(line)
  );
};

/** A headline from the lede's first sentence, cut at a clause boundary or after 14 words. */
export const headlineFromLede = (lede: string): string => {
  const first = (splitSentences(lede, 1)[0]?.text ?? lede).trim();
  const tokens = first.split(/\s+/);
  if (tokens.length <= 20) return first.replace(/[.]$/, '');
  for (let i = 20; i >= 8; i--) {
    if (/[,;:]$/.test(tokens[i - 1] ?? ''))
      return tokens
        .slice(0, i)
        .join(' ')
        .replace(/[,;:]$/, '');
  }
  return `${tokens
    .slice(0, 14)
    .join(' ')
    .replace(/[,;:]$/, '')}…`;
};

type Header = { publishedDate: string | null; warnings: string[]; rest: string };

/** The `date` line: sets publishedDate, and hands back any lede text that follows on the same line. */
const readDateHeader = (firstLine: string): Header | null => {
  const trimmed = firstLine.trim();
  const keyword = DATE_HEADER.exec(trimmed);
  const valueText = keyword ? trimmed.slice(keyword[0].length) : trimmed;
  const value = readDateValue(valueText);
  if (value) {
    // A bare date with other words after it is a date line only when a keyword introduced it.
    if (!keyword && value.rest.trim() !== '') return null;
    const warnings = value.iso
      ? []
      : [`impossible date "${value.text}" in the date line; publishedDate is null`];
    return { publishedDate: value.iso, warnings, rest: value.rest.trim() };
  }
  if (keyword?.[1]) {
    const shown = valueText.split(/\s+/)[0] ?? '';
    return {
      publishedDate: null,
      warnings: [`unreadable date "${shown}" in the date line; publishedDate is null`],
      rest: valueText.slice(shown.length).trim(),
    };
  }
  return null;
};

type HeaderFields = { headline: string | null; dateline: string | null; section: string | null };

/** Takes `line` as the next header item when it is one (see the header rule), and says whether it did. */
const takeHeader = (fields: HeaderFields, line: string, maxHeadlineWords: number): boolean => {
  const section = fields.section === null ? sectionOf(line) : null;
  if (section !== null) {
    fields.section = section;
    return true;
  }
  const dateline = fields.dateline === null ? datelineOf(line) : null;
  if (dateline !== null) {
    fields.dateline = dateline;
    return true;
  }
  if (fields.headline === null && isHeadlineLike(line, maxHeadlineWords)) {
    fields.headline = line.trim();
    return true;
  }
  return false;
};

export const parseStructure = (raw: string): Structure => {
  const warnings: string[] = [];
  const lines = cleanText(raw).trim().split('\n');
  let index = 0;
  let publishedDate: string | null = null;
  const fields: HeaderFields = { headline: null, dateline: null, section: null };
  let inlineLede: string | null = null;
  let taken = 0;

  const header = readDateHeader(lines[0] ?? '');
  if (header) {
    publishedDate = header.publishedDate;
    warnings.push(...header.warnings);
    index = 1;
    // The rest of the date line is a header item when it reads as one, else the start of the lede.
    if (header.rest && takeHeader(fields, header.rest, 20)) taken++;
    else if (header.rest) inlineLede = header.rest;
  } else {
    warnings.push('no date line; publishedDate is null');
  }

  if (inlineLede === null) {
    while (index < lines.length && lines[index] === '') index++;
    for (; taken < 3 && index < lines.length; taken++) {
      const line = lines[index] ?? '';
      const remaining = lines.slice(index + 1).some((next) => next.trim() !== '');
      if (!remaining || line === '' || !takeHeader(fields, line, 30)) break;
      index++;
      while (index < lines.length && lines[index] === '') index++;
    }
  }

  const body = [inlineLede ?? '', ...lines.slice(index)].join('\n').trim();
  // Blank lines separate paragraphs when the body has any; otherwise every line is a paragraph.
  const paragraphs = (/\n\s*\n/.test(body) ? body.split(/\n\s*\n/).map(joinLines) : body.split('\n'))
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0);

  const wire = splitWireDateline(paragraphs[0] ?? '');
  if (wire) {
    paragraphs[0] = wire.lede;
    fields.dateline ??= wire.dateline;
  }

  const lede = paragraphs[0] ?? '';
  return {
    publishedDate,
    headline: fields.headline ?? headlineFromLede(lede),
    headlineSource: fields.headline === null ? 'lede' : 'title',
    dateline: fields.dateline,
    section: fields.section,
    paragraphs,
    warnings,
  };
};
