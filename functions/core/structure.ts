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
/** "BEIJING", "NEW YORK", "WASHINGTON, D.C." with an optional trailing dash. */
const DATELINE = /^(\p{Lu}[\p{Lu}.'’-]*(?:[ ,]+\p{Lu}[\p{Lu}.'’-]*){0,4})\s*[-–—:]?$/u;

const isHeadlineLike = (line: string): boolean =>
  line.length <= 250 && words(line).length <= 30 && words(line).length > 0 && !/[.,;:]$/.test(line);

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

export const parseStructure = (raw: string): Structure => {
  const warnings: string[] = [];
  const lines = cleanText(raw).trim().split('\n');
  let index = 0;
  let publishedDate: string | null = null;
  let headline: string | null = null;
  let dateline: string | null = null;
  let section: string | null = null;
  let inlineLede: string | null = null;

  const header = readDateHeader(lines[0] ?? '');
  if (header) {
    publishedDate = header.publishedDate;
    warnings.push(...header.warnings);
    index = 1;
    if (header.rest) inlineLede = header.rest;
  } else {
    warnings.push('no date line; publishedDate is null');
  }

  if (inlineLede === null) {
    // Header lines: up to three of headline, dateline and section label, in any order, before the body.
    while (index < lines.length && lines[index] === '') index++;
    for (let taken = 0; taken < 3 && index < lines.length; taken++) {
      const line = lines[index] ?? '';
      const remaining = lines.slice(index + 1).some((next) => next.trim() !== '');
      if (!remaining || line === '') break;
      const sectionLabel = SECTION_HEADER.exec(line)?.[1];
      if (section === null && (sectionLabel || SECTIONS.has(line.toLowerCase()))) {
        section = (sectionLabel ?? line).trim();
      } else if (dateline === null && DATELINE.test(line) && /\p{Lu}{2}/u.test(line)) {
        dateline = line.replace(/\s*[-–—:]$/, '').trim();
      } else if (headline === null && isHeadlineLike(line)) {
        headline = line.trim();
      } else {
        break;
      }
      index++;
      while (index < lines.length && lines[index] === '') index++;
    }
  }

  const body = [inlineLede ?? '', ...lines.slice(index)].join('\n').trim();
  // Blank lines separate paragraphs when the body has any; otherwise every line is a paragraph.
  const paragraphs = (/\n\s*\n/.test(body) ? body.split(/\n\s*\n/).map(joinLines) : body.split('\n'))
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0);

  const lede = paragraphs[0] ?? '';
  return {
    publishedDate,
    headline: headline ?? headlineFromLede(lede),
    headlineSource: headline === null ? 'lede' : 'title',
    dateline,
    section,
    paragraphs,
    warnings,
  };
};
