import { DRIFT_KINDS } from '../functions/verify/drift';

/** How a verify's findings and repairs are printed, locally and for a run on AWS alike. */
export type PrintedSummary = Record<string, { count: number; examples: string[] }>;
export type PrintedTally = Record<string, { mended: number; changedSince: number }>;

export const printSummary = (title: string, summary: PrintedSummary, log = console.log) => {
  const total = Object.values(summary).reduce((n, k) => n + k.count, 0);
  log(`${title}: ${total === 0 ? 'no drift' : `${total} finding(s)`}`);
  for (const kind of DRIFT_KINDS) {
    const k = summary[kind];
    if (!k || k.count === 0) continue;
    log(`  ${kind.padEnd(26)} ${String(k.count).padStart(6)}`);
    for (const example of k.examples) log(`      e.g. ${example}`);
  }
};

export const printTally = (tally: PrintedTally, log = console.log) => {
  log('Mended:');
  for (const [kind, t] of Object.entries(tally).filter(([, t]) => t.mended + t.changedSince > 0))
    log(
      `  ${kind.padEnd(26)} ${String(t.mended).padStart(6)}${t.changedSince ? `  (${t.changedSince} changed since: left for the next check)` : ''}`,
    );
};
