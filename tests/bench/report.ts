import { cpus, loadavg, totalmem } from 'node:os';

/** One figure in a section table; `pass` is null when the figure has no target. */
export interface Row {
  figure: string;
  value: string;
  target?: string;
  pass?: boolean | null;
}

export interface Section {
  title: string;
  note?: string;
  rows: Row[];
}

export const machine = () => ({
  cpus: cpus().length,
  model: cpus()[0]?.model ?? 'unknown',
  memoryGb: Math.round(totalmem() / 1024 ** 3),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
});

export const verdict = (pass: boolean | null | undefined) =>
  pass === true ? 'PASS' : pass === false ? 'MISS' : '';

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - text.length));

/** A plain-text table: figure, value, target, PASS/MISS (the last two only when the section has targets). */
export const renderSection = (section: Section): string => {
  const withTargets = section.rows.some((r) => r.target);
  const header = withTargets ? ['Figure', 'Value', 'Target', 'Result'] : ['Figure', 'Value'];
  const cells = section.rows.map((r) =>
    withTargets ? [r.figure, r.value, r.target ?? '', verdict(r.pass)] : [r.figure, r.value],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) => `  ${c.map((x, i) => pad(x, widths[i] ?? 0)).join('  ')}`.trimEnd();
  return [
    `\n== ${section.title} ==`,
    ...(section.note ? [`  ${section.note}`] : []),
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
  ].join('\n');
};

export const fmt = (value: number | undefined, unit = '', digits = 2): string =>
  value === undefined || Number.isNaN(value)
    ? 'n/a'
    : `${Number(value.toFixed(digits))}${unit ? ` ${unit}` : ''}`;
