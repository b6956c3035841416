import { z } from 'zod';
import { DRIFT_KINDS } from '../functions/verify/drift';

/** What a verify answers (the local stack's reply, an AWS run's report), and how it is printed, alike for both. */
export const SummarySchema = z.record(
  z.string(),
  z.object({ count: z.number(), examples: z.array(z.string()) }),
);
export const TallySchema = z.record(z.string(), z.object({ mended: z.number(), changedSince: z.number() }));
export const ReadSchema = z.object({
  items: z.number(),
  records: z.number(),
  objects: z.number(),
  bodies: z.number(),
  readUnits: z.number(),
});
export type PrintedSummary = z.infer<typeof SummarySchema>;
export type PrintedTally = z.infer<typeof TallySchema>;

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
