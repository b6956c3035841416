import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { articleIdForKey } from '../core/article';
import { type BodyStore, bodyKeeper, bodyKeyFor } from './article-body';
import { BodyTooLargeError } from './article-item';
import { ItemTooLargeError, StaleWriteError, TransientStoreError } from './errors';
import { keys } from './keys';
import { checkReprocess, type ReprocessCheck, type ReprocessProbe } from './reprocess-plan';
import { SequencerSchema, type UploadStatus } from './upload-outcome';
import {
  chunk,
  conditionAction,
  deleteAction,
  MAX_TRANSACTION_ACTIONS,
  putAction,
  stillStored,
  type TransactAction,
  unchangedSince,
} from './write-actions';
import {
  type CurrentState,
  planWrite,
  prepareArticle,
  type WritePlan,
  type WriteRequest,
} from './write-plan';
import { makeStateReader } from './write-state';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The write side of the store: applies one S3 event for one key to the table.
 *
 * Ordering: the `ART#<id>`/`UPLOAD` item holds the newest applied sequencer. A writer reads it, skips the event if
 * the stored one is newer or equal (stale or duplicate), and makes every write conditional on the stored
 * sequencer being exactly what it read (optimistic concurrency, see ./write-actions.ts). Concurrent Lambdas and
 * stale or duplicate deliveries therefore converge on the newest event's state with every entry accounted for.
 *
 * Normal case: one Query reads the article and outcome, then ONE TransactWriteItems writes the outcome, the
 * article, every index entry and the removal of entries the new version lacks. Every item it writes belongs to this
 * key, so two articles' transactions never conflict; the entity catalogue's counts, which articles share, follow
 * from the table's stream (./catalogue-writer.ts).
 * Unchanged re-upload (same contentHash and parserVersion): one conditional PutItem of the outcome (1 WCU).
 *
 * Ordered fallback, when the change needs more than 100 actions (an article with a great many entities):
 *   ingest: (1) delete stale entries, in transactions each guarded by "event newer than stored";
 *           (2) put article + outcome (marked `pending`) in one transaction;
 *           (3) put the entries in transactions guarded by "outcome still this event";
 *           (4) clear `pending`. A retry of the same event that finds `pending` redoes (3) and (4).
 *   delete/reject: (1) delete entries, guarded as above; (2) delete article + put outcome.
 * Consistency window (milliseconds): during (1)-(3) lookups may miss the article or list it with the previous
 * headline; no entry ever points at a missing article, because entries go before the article is deleted and
 * after it is written.
 */
export interface WriteResult {
  /** The outcome status the key has after this call, or null when the event was skipped. */
  recorded: UploadStatus | null;
  effect: 'written' | 'unchanged' | 'stale' | 'duplicate' | 'resumed';
  mode: 'none' | 'single' | 'transaction' | 'ordered';
  /** Set when the article could not be stored and a rejection was recorded instead (too-large). */
  rejection?: { reason: 'too-large'; detail: string };
  itemsWritten: number;
  /** Consumed write (and condition-check) capacity as DynamoDB reports it. */
  writeUnits: number;
}

export type Verdict = 'stale' | 'duplicate' | 'apply';

export interface ArticleWriter {
  write(request: WriteRequest): Promise<WriteResult>;
  /**
   * Whether an event still needs applying, before the caller reads the object and runs the core: a duplicate
   * or stale delivery costs one Query and nothing else. The state read here is reused by the `write` of the same
   * event, so checking first adds no read. Optional: a writer without it is simply always written to.
   */
  check?(key: string, sequencer: string): Promise<Verdict>;
  /**
   * The same for a reprocess message: one Query says whether the stored article is already this object read by
   * this parser, or else which sequencer the reprocess's write must find still stored (./reprocess-plan.ts).
   */
  checkReprocess?(key: string, probe: ReprocessProbe): Promise<ReprocessCheck>;
}

export interface ArticleWriterOptions {
  client: DynamoDBClient;
  tableName: string;
  /**
   * Read-plan-write attempts when another writer changes the key in between (condition failed or
   * TransactionConflict). After that the record fails and SQS redelivers it.
   */
  conflictAttempts?: number;
  now?: () => Date;
  /**
   * Where bodies too large for their item go (./article-body.ts). Without it such an article is recorded as a
   * `too-large` rejection.
   */
  bodies?: BodyStore;
}

/** Padding is idempotent, so callers may pass S3's raw sequencer or an already padded one. */
const padded = (raw: string): string => {
  const sequencer = SequencerSchema.safeParse(raw);
  if (!sequencer.success) throw new TypeError(`not an S3 sequencer: ${raw}`);
  return sequencer.data;
};

class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

const CapacitySchema = z.object({ CapacityUnits: z.number().optional() });
const unitsOf = (consumed: unknown): number => {
  const list = Array.isArray(consumed) ? consumed : consumed ? [consumed] : [];
  return list.reduce((sum: number, c) => sum + (CapacitySchema.safeParse(c).data?.CapacityUnits ?? 0), 0);
};

const CancellationSchema = z.object({
  name: z.literal('TransactionCanceledException'),
  CancellationReasons: z.array(z.object({ Code: z.string().optional() })).optional(),
});

export const makeArticleWriter = (options: ArticleWriterOptions): ArticleWriter => {
  const { tableName } = options;
  const doc = DynamoDBDocumentClient.from(options.client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const now = options.now ?? (() => new Date());
  const conflictAttempts = options.conflictAttempts ?? 5;

  const readState = makeStateReader(doc, tableName);
  const bodies = bodyKeeper(options.bodies);
  /** States read by `check`, reused by the write of the same event (sequential use: a handful at most). */
  const primed = new Map<string, CurrentState>();

  type Tally = { items: number; units: number };
  const transact = async (tally: Tally, actions: TransactAction[]) => {
    try {
      const out = await doc.send(
        new TransactWriteCommand({ TransactItems: actions, ReturnConsumedCapacity: 'TOTAL' }),
      );
      tally.items += actions.filter((a) => !a.ConditionCheck).length;
      tally.units += unitsOf(out.ConsumedCapacity);
    } catch (error) {
      const cancelled = CancellationSchema.safeParse(error);
      if (!cancelled.success) throw error;
      const codes = (cancelled.data.CancellationReasons ?? []).map((r) => r.Code);
      if (codes.includes('ConditionalCheckFailed'))
        throw new StaleWriteError('the key changed since it was read');
      if (codes.includes('TransactionConflict'))
        throw new ConflictError('transaction conflict', { cause: error });
      throw new TransientStoreError(`transaction cancelled: ${codes.join(',')}`, { cause: error });
    }
  };

  const single = async (tally: Tally, command: PutCommand | UpdateCommand) => {
    try {
      const out = command instanceof PutCommand ? await doc.send(command) : await doc.send(command);
      tally.items += 1;
      tally.units += unitsOf(out.ConsumedCapacity);
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException')
        throw new StaleWriteError('the key changed since it was read', { cause: error });
      throw error;
    }
  };

  const guardedChunks = async (tally: Tally, actions: TransactAction[], guard: TransactAction) => {
    for (const part of chunk(actions, MAX_TRANSACTION_ACTIONS - 1)) await transact(tally, [...part, guard]);
  };

  const execute = async (
    tally: Tally,
    id: string,
    plan: Exclude<WritePlan, { kind: 'skip' }>,
  ): Promise<WriteResult['mode']> => {
    const seq = plan.upload.sequencer;
    const uploadKey = keys.upload(id);
    if (plan.kind === 'upload-only') {
      await single(
        tally,
        new PutCommand({
          TableName: tableName,
          Item: plan.upload,
          ReturnConsumedCapacity: 'TOTAL',
          ...unchangedSince(plan.expected),
        }),
      );
      return 'single';
    }
    const articleAction = plan.article
      ? putAction(tableName, { ...plan.article })
      : deleteAction(tableName, keys.article(id));
    const puts = plan.puts.map((e) => putAction(tableName, e));
    const deletes = plan.deletes.map((k) => deleteAction(tableName, k));
    const total = 2 + puts.length + deletes.length;
    if (!plan.resume && total <= MAX_TRANSACTION_ACTIONS) {
      const upload = { Put: { TableName: tableName, Item: plan.upload, ...unchangedSince(plan.expected) } };
      await transact(tally, [upload, articleAction, ...deletes, ...puts]);
      return 'transaction';
    }
    const before = conditionAction(tableName, uploadKey, unchangedSince(plan.expected));
    const after = conditionAction(tableName, uploadKey, stillStored(seq));
    const pending = plan.article !== null;
    if (!plan.resume) {
      await guardedChunks(tally, deletes, before);
      const upload = {
        Put: { TableName: tableName, Item: { ...plan.upload, pending }, ...unchangedSince(plan.expected) },
      };
      await transact(tally, [upload, articleAction]);
    }
    if (!pending) return 'ordered';
    await guardedChunks(tally, puts, after);
    await single(
      tally,
      new UpdateCommand({
        TableName: tableName,
        Key: uploadKey,
        UpdateExpression: 'REMOVE pending',
        ReturnConsumedCapacity: 'TOTAL',
        ...stillStored(seq),
      }),
    );
    return 'ordered';
  };

  // `check` and the `write` that follows it name the same key and sequencer: hash and validate them once.
  let lastId: { key: string; id: string } | null = null;
  let lastSequencer: { raw: string; padded: string } | null = null;
  const idFor = (key: string): string => {
    if (lastId?.key !== key) lastId = { key, id: articleIdForKey(key) };
    return lastId.id;
  };
  const sequencerFor = (raw: string): string => {
    if (lastSequencer?.raw !== raw) lastSequencer = { raw, padded: padded(raw) };
    return lastSequencer.padded;
  };

  const check = async (key: string, raw: string): Promise<Verdict> => {
    const sequencer = sequencerFor(raw);
    const id = idFor(key);
    const state = await readState(id);
    const stored = state.upload?.sequencer;
    if (stored !== undefined && stored > sequencer) return 'stale';
    if (stored === sequencer && !state.upload?.pending) return 'duplicate';
    if (primed.size > 16) primed.clear();
    primed.set(`${id}#${sequencer}`, state);
    return 'apply';
  };

  const checkReprocessFor = async (key: string, probe: ReprocessProbe): Promise<ReprocessCheck> => {
    const id = idFor(key);
    const state = await readState(id);
    const verdict = checkReprocess(state, probe);
    if (verdict.verdict === 'apply') {
      if (primed.size > 16) primed.clear();
      primed.set(`${id}#${verdict.basis}`, state);
    }
    return verdict;
  };

  const write = async (raw: WriteRequest): Promise<WriteResult> => {
    const request = { ...raw, sequencer: sequencerFor(raw.sequencer) };
    const id = idFor(request.key);
    let effective = request;
    let prepared: ReturnType<typeof prepareArticle> | null = null;
    let rejection: WriteResult['rejection'];
    if (request.change.kind === 'ingested') {
      try {
        const bodyKey = options.bodies ? bodyKeyFor(id, request.sequencer) : undefined;
        prepared = prepareArticle(request.change.article, bodyKey);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError) && !(error instanceof ItemTooLargeError)) throw error;
        rejection = { reason: 'too-large', detail: `the record does not fit a table item: ${error.message}` };
        effective = { ...request, change: { kind: 'rejected', ...rejection } };
      }
    }
    const tally: Tally = { items: 0, units: 0 };
    const base = (): Pick<WriteResult, 'itemsWritten' | 'writeUnits'> & {
      rejection?: WriteResult['rejection'];
    } => ({
      itemsWritten: tally.items,
      writeUnits: tally.units,
      ...(rejection ? { rejection } : {}),
    });
    const primedKey = `${id}#${request.sequencer}`;
    let bodyPut = false;
    for (let attempt = 1; ; attempt++) {
      // The first attempt may use the state `check` just read; a retry after a conflict always reads afresh.
      const current = (attempt === 1 && primed.get(primedKey)) || (await readState(id));
      primed.delete(primedKey);
      const plan = planWrite(id, effective, current, now().toISOString(), prepared);
      if (plan.kind === 'skip') {
        if (plan.why === 'stale') await bodies.discard(prepared?.overflow, current);
        return { recorded: null, effect: plan.why, mode: 'none', ...base() };
      }
      try {
        // Once per call: a retry after a conflict finds the body already there.
        if (plan.kind === 'write' && plan.article && !bodyPut) {
          await bodies.put(prepared?.overflow);
          bodyPut = true;
        }
        const mode = await execute(tally, id, plan);
        if (plan.kind === 'write') await bodies.replaced(current, plan.article);
        const effect =
          plan.kind === 'upload-only' && plan.why === 'unchanged'
            ? 'unchanged'
            : plan.kind === 'write' && plan.resume
              ? 'resumed'
              : 'written';
        return { recorded: plan.upload.status, effect, mode, ...base() };
      } catch (error) {
        // Another writer changed the key since our read: read again. A newer event makes this one stale (the
        // next plan says so); an older one only moved the state our diff must be computed from.
        if (!(error instanceof StaleWriteError) && !(error instanceof ConflictError)) throw error;
        if (attempt >= conflictAttempts)
          throw new TransientStoreError('the key kept changing under this writer', { cause: error });
        // Conflicts come from writers of the same key (its outcome and article):
        // retrying at once mostly meets them again, so back off with jitter (about 20, 40, 80, 160 ms).
        await sleep(20 * 2 ** (attempt - 1) * (0.5 + Math.random()));
      }
    }
  };

  return { write, check, checkReprocess: checkReprocessFor };
};
