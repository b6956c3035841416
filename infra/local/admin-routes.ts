import { z } from 'zod';
import type { Verifier } from '../../functions/verify/verifier';
import type { AdminRoutes } from './http-server';
import type { LocalQueue } from './queue';
import { type ReprocessRunner, ReprocessStartSchema } from './reprocess-run';

/** `POST /_local/wait` body: how long to wait for the stack to go quiet (default 30 s). */
export const WaitRequestSchema = z.object({
  timeoutMs: z.number().int().positive().max(600_000).default(30_000),
});
export const WaitReplySchema = z.object({ idle: z.boolean() });
/** `POST /_local/verify` body. */
export const VerifyRequestSchema = z.object({
  repair: z.boolean().default(false),
  timeoutMs: z.number().int().positive().max(600_000).default(120_000),
});

/** `POST /_local/send` body: queue message bodies to send as S3 would (`npm run replay`). */
export const SendRequestSchema = z.object({ bodies: z.array(z.string().min(1)).min(1).max(10_000) });

const jsonBody = (body: Buffer): unknown => JSON.parse(body.toString() || '{}');

/**
 * The local stack's `/_local/*` routes, for `npm run redrive`, `npm run reprocess`, drills and scripts; they have no
 * AWS counterpart. `POST /_local/wait` answers `{ idle: true }` once every event so far has been ingested (or
 * dead-lettered) and the stream consumers have derived and counted it, or `{ idle: false }` when that took longer than
 * `timeoutMs`. An empty queue alone is not quiet: in a burst the lists lag the ingest.
 */
export const localAdminRoutes = (deps: {
  queue: LocalQueue;
  reprocess: ReprocessRunner | null;
  verifier: Verifier | null;
  waitForIdle(timeoutMs: number): Promise<void>;
}): AdminRoutes => ({
  'GET /_local/status': () => ({ queued: deps.queue.size, deadLetters: deps.queue.deadLetters().length }),
  'GET /_local/dlq': () => ({ messages: deps.queue.deadLetters() }),
  'POST /_local/redrive': () => ({ redriven: deps.queue.redrive() }),
  // `npm run replay`: notifications as S3 sends them, onto the ingest queue.
  'POST /_local/send': (body) => {
    const { bodies } = SendRequestSchema.parse(jsonBody(body));
    for (const message of bodies) deps.queue.send(message);
    return { sent: bodies.length };
  },
  // `npm run reprocess`: start a run over the bucket (JSON body { prefix? }) and follow it.
  'POST /_local/reprocess': (body) =>
    deps.reprocess?.start(ReprocessStartSchema.parse(jsonBody(body)).prefix) ?? null,
  'GET /_local/reprocess': () => deps.reprocess?.progress() ?? null,
  // `npm run verify`: once the stack is quiet, check; with `repair`, mend, let the consumers catch up, check again.
  'POST /_local/verify': async (body) => {
    const { repair, timeoutMs } = VerifyRequestSchema.parse(jsonBody(body));
    if (!deps.verifier) return null;
    await deps.waitForIdle(timeoutMs);
    const found = await deps.verifier.check();
    if (!repair || found.findings.length === 0)
      return { found: found.summary, read: found.read, clean: found.findings.length === 0 };
    const mended = await deps.verifier.repair(found.findings);
    await deps.waitForIdle(timeoutMs);
    const after = await deps.verifier.check();
    return {
      found: found.summary,
      read: found.read,
      mended,
      after: after.summary,
      clean: after.findings.length === 0,
    };
  },
  'POST /_local/wait': async (body) => {
    const { timeoutMs } = WaitRequestSchema.parse(jsonBody(body));
    return deps.waitForIdle(timeoutMs).then(
      () => ({ idle: true }),
      () => ({ idle: false }),
    );
  },
});
