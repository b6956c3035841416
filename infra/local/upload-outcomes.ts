import { z } from 'zod';
import type { SkippedFile } from './files';

/**
 * What became of each uploaded key, read the way anyone can: GET /uploads/{key} on the local stack's API, which
 * says `ingested` only once GET /articles/{id} serves the article. An outcome counts once it was written after
 * the upload began; one written before (the same bytes uploaded again may leave it) counts once the stack is idle.
 */
const OutcomeSchema = z.object({
  key: z.string(),
  status: z.enum(['ingested', 'rejected', 'deleted']),
  reason: z.string().optional(),
  detail: z.string().optional(),
  at: z.string(),
});
export type Outcome = z.infer<typeof OutcomeSchema>;
const IdleSchema = z.object({ idle: z.boolean() });

/** The idle check waits this long when the stack is busy: the poll interval. */
const POLL_MS = 200;

export const uploadPath = (key: string) => `/uploads/${key.split('/').map(encodeURIComponent).join('/')}`;

export const waitForOutcomes = async (options: {
  call: (path: string, init?: RequestInit) => Promise<Response>;
  keys: readonly string[];
  /** Outcomes written at or after this (ms since epoch) are this upload's. */
  since: number;
  timeoutMs: number;
  onOutcome?: (outcome: Outcome) => void;
}): Promise<{ outcomes: Map<string, Outcome>; missing: string[] }> => {
  const outcomes = new Map<string, Outcome>();
  const pending = new Set(options.keys);
  const deadline = Date.now() + options.timeoutMs;
  const read = async (key: string): Promise<Outcome | null> => {
    const res = await options.call(uploadPath(key));
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`GET ${uploadPath(key)} answered ${res.status}`);
    return OutcomeSchema.parse(await res.json());
  };
  const settle = (key: string, outcome: Outcome) => {
    pending.delete(key);
    outcomes.set(key, outcome);
    options.onOutcome?.(outcome);
  };
  while (pending.size > 0 && Date.now() < deadline) {
    for (const key of [...pending]) {
      const outcome = await read(key);
      if (outcome && Date.parse(outcome.at) >= options.since) settle(key, outcome);
    }
    if (pending.size === 0) break;
    // Idle with keys still pending: whatever they hold now is all there will be.
    const wait = await options.call('/_local/wait', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ timeoutMs: POLL_MS }),
    });
    if (IdleSchema.parse(await wait.json()).idle) {
      for (const key of [...pending]) {
        const outcome = await read(key);
        if (outcome) settle(key, outcome);
      }
      break;
    }
  }
  return { outcomes, missing: [...pending] };
};

const SHOWN_KEYS = 3;
const someKeys = (keys: readonly string[]) =>
  `${keys.slice(0, SHOWN_KEYS).join(', ')}${keys.length > SHOWN_KEYS ? `, and ${keys.length - SHOWN_KEYS} more` : ''}`;

const grouped = <T>(items: readonly T[], by: (item: T) => string): [string, T[]][] => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(by(item), [...(groups.get(by(item)) ?? []), item]);
  return [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
};

export interface UploadSummary {
  ingested: string[];
  rejected: Outcome[];
  /** Deleted before its upload was processed, or no outcome in time. */
  other: { key: string; why: string }[];
  skipped: SkippedFile[];
  failed: { key: string; error: string }[];
  uploaded: number;
  /** False with --no-wait or a target other than the local stack. */
  waited: boolean;
}

/** The summary: every input is ingested, rejected (by reason), skipped (with why), failed, or not known yet. */
export const summaryLines = (s: UploadSummary): string[] => {
  const lines: string[] = [];
  if (!s.waited) lines.push(`  uploaded ${s.uploaded} (outcomes not awaited)`);
  else {
    lines.push(`  ingested ${s.ingested.length}`);
    lines.push(`  rejected ${s.rejected.length}`);
    for (const [reason, items] of grouped(s.rejected, (o) => o.reason ?? 'unknown'))
      lines.push(`    ${reason} (${items.length}): ${someKeys(items.map((o) => o.key))}`);
    if (s.other.length > 0) {
      lines.push(`  no outcome ${s.other.length}`);
      for (const [why, items] of grouped(s.other, (o) => o.why))
        lines.push(`    ${why} (${items.length}): ${someKeys(items.map((o) => o.key))}`);
    }
  }
  lines.push(`  skipped ${s.skipped.length}`);
  for (const [why, items] of grouped(s.skipped, (f) => f.why))
    lines.push(`    ${why} (${items.length}): ${someKeys(items.map((f) => f.path))}`);
  lines.push(`  failed ${s.failed.length}`);
  for (const { key, error } of s.failed.slice(0, 10)) lines.push(`    ${key}: ${error}`);
  if (s.failed.length > 10) lines.push(`    ... and ${s.failed.length - 10} more`);
  return lines;
};
