/** Reading the `date` header: ISO (`2024-11-13`), `2024/11/13`, `13 November 2024`, `November 13, 2024`. */
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const monthIndex = (name: string): number => {
  const lower = name.toLowerCase();
  return MONTHS.findIndex((month) => lower.length >= 3 && month.startsWith(lower)) + 1;
};

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** `YYYY-MM-DD` when the parts form a real calendar day, else null. */
export const isoDay = (year: number, month: number, day: number): string | null => {
  if (!Number.isInteger(year) || year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1)
    return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
};

const NUMERIC = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?/;
const DAY_MONTH_YEAR = /^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})/i;
const MONTH_DAY_YEAR = /^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})/i;

export type DateValue = { text: string; iso: string | null; rest: string };

/**
 * Reads a date value at the start of `value`. Returns the matched text, the ISO day (null when the value looks
 * like a date but is impossible, such as 2024-13-45) and what follows; null when it does not look like a date.
 */
export const readDateValue = (value: string): DateValue | null => {
  const numeric = NUMERIC.exec(value);
  if (numeric) {
    const [text, year, month, day] = numeric;
    return {
      text,
      iso: isoDay(Number(year), Number(month), Number(day)),
      rest: value.slice(text.length),
    };
  }
  const dmy = DAY_MONTH_YEAR.exec(value);
  if (dmy && monthIndex(dmy[2] ?? '') > 0) {
    const [text, day, month, year] = dmy;
    return {
      text,
      iso: isoDay(Number(year), monthIndex(month ?? ''), Number(day)),
      rest: value.slice(text.length),
    };
  }
  const mdy = MONTH_DAY_YEAR.exec(value);
  if (mdy && monthIndex(mdy[1] ?? '') > 0) {
    const [text, month, day, year] = mdy;
    return {
      text,
      iso: isoDay(Number(year), monthIndex(month ?? ''), Number(day)),
      rest: value.slice(text.length),
    };
  }
  return null;
};
