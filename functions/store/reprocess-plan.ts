import type { ArticleItem } from './article-item';
import { SEQUENCER_WIDTH } from './upload-outcome';
import type { CurrentState, WriteChange, WritePlan, WriteRequest } from './write-plan';

/**
 * A reprocess (bucket-wide re-ingest, see infra/constructs/reprocess.ts) has no S3 sequencer of its own, and it
 * must outrank no real event. So it never advances a key's sequencer: it writes under the sequencer it found
 * stored (its `basis`), conditional on that sequencer still being stored, or under this floor when the key has
 * no outcome yet; every real S3 sequencer is above it, so any upload or delete that follows still applies.
 */
export const REPROCESS_FLOOR = '0'.repeat(SEQUENCER_WIDTH);

/** What the listing says about the object, and the parser the handler runs. */
export interface ReprocessProbe {
  eTag?: string | undefined;
  parserVersion: string;
}

export type ReprocessCheck = { verdict: 'unchanged' } | { verdict: 'apply'; basis: string };

const bare = (eTag: string) => eTag.replace(/"/g, '');

/**
 * Before the object is read: the stored article already is this object (same eTag) read by this parser, so the
 * reprocess ends here at the cost of the one Query that read `state`.
 */
export const checkReprocess = (state: CurrentState, probe: ReprocessProbe): ReprocessCheck => {
  const { article, upload } = state;
  const current =
    upload?.status === 'ingested' &&
    !upload.pending &&
    article !== null &&
    article.parserVersion === probe.parserVersion &&
    probe.eTag !== undefined &&
    article.eTag !== undefined &&
    article.eTag === bare(probe.eTag);
  return current
    ? { verdict: 'unchanged' }
    : { verdict: 'apply', basis: upload?.sequencer ?? REPROCESS_FLOOR };
};

/** The stored outcome already says what the re-read object says (an unchanged article costs no write). */
const sameOutcome = (
  state: CurrentState,
  change: WriteChange,
  prepared: { article: ArticleItem } | null,
): boolean => {
  const { upload, article } = state;
  if (!upload || upload.pending) return false;
  if (change.kind === 'ingested')
    return (
      upload.status === 'ingested' &&
      article !== null &&
      prepared !== null &&
      article.contentHash === prepared.article.contentHash &&
      article.parserVersion === prepared.article.parserVersion
    );
  if (change.kind === 'rejected')
    return upload.status === 'rejected' && upload.reason === change.reason && upload.detail === change.detail;
  return upload.status === 'deleted';
};

/**
 * At write time, for a reprocess request (whose sequencer is its basis): skip when a real event has been applied
 * since the basis was read (`stale`: that event read the object itself, with the same parser), or when nothing
 * would change (`unchanged`). Null: plan the write as for any event, under the basis sequencer.
 */
export const gateReprocess = (
  state: CurrentState,
  request: WriteRequest,
  prepared: { article: ArticleItem } | null,
): Extract<WritePlan, { kind: 'skip' }> | null => {
  if ((state.upload?.sequencer ?? REPROCESS_FLOOR) !== request.sequencer)
    return { kind: 'skip', why: 'stale' };
  if (sameOutcome(state, request.change, prepared)) return { kind: 'skip', why: 'unchanged' };
  return null;
};
