import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchExecuteStatementCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { articleIdForKey } from '../core/article';
import { eachLimited } from '../shared/each-limited';
import { type BodyStore, bodyKeeper, bodyKeyFor } from './article-body';
import { BodyTooLargeError, indexKeyOf } from './article-item';
import { ItemTooLargeError, StaleWriteError, TransientStoreError } from './errors';
import { keys } from './keys';
import { checkReprocess, type ReprocessCheck, type ReprocessProbe } from './reprocess-plan';
import { SequencerSchema, type UploadStatus } from './upload-outcome';
import { type Condition, revAtMost, revBelow, revIs, revUnchanged } from './write-actions';
import type { IndexEntry } from './write-entries';
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
 * The write side of the store: applies one S3 event for one key to the table, with no transaction. Writes inside a
 * transaction bill double, and an article's ~40 index entries made one transaction ~88 write units; written one by
 * one under the conditions of ./write-actions.ts they cost ~40.
 *
 * Every item of a key carries the revision (`rev`) that wrote it; the outcome item (`ART#<id>`/`UPLOAD`) holds the
 * newest revision, the entry keys it owns and those of earlier revisions still to be removed (`stale`). A write:
 *   (1) puts the outcome, `pending`, conditional on the revision read being still stored (optimistic
 *       concurrency: a writer that loses re-reads, and a newer event then makes it stale). From here the new
 *       revision is in charge of every entry any earlier revision may have written;
 *   (2) puts the article over an older revision (a delete or rejection removes it in step 4 instead);
 *   (3) puts each index entry over an older revision, and removes each stale entry still held by an older one;
 *   (4) removes the article if the event deleted or rejected it, after its entries are gone;
 *   (5) clears `pending` and `stale`, conditional on its revision still being stored.
 * A retry of the same event finds `pending` and redoes (2)-(5); every step is idempotent. A writer overtaken by a
 * newer event stops at the first condition that fails: the newer revision read this one's keys in its step (1)
 * and removes them. An entry this writer put after that removal is older than the stored revision and not among
 * its keys; the table's stream consumer removes it (functions/store/catalogue-janitor.ts).
 *
 * So a lookup never points at a missing article: entries are put after their article and removed before it.
 * An entry lags its article by the writer's own steps (milliseconds); only when two events of one key are in
 * flight at once may an overtaken writer's entry outlive its revision, until the stream consumer removes it.
 * Unchanged re-upload (same contentHash and parserVersion): one conditional PutItem of the outcome (1 WCU).
 */
export interface WriteResult {
  /** The outcome status the key has after this call, or null when the event was skipped or overtaken. */
  recorded: UploadStatus | null;
  effect: 'written' | 'unchanged' | 'stale' | 'duplicate' | 'resumed' | 'superseded';
  mode: 'none' | 'single' | 'staged';
  /** Set when the article could not be stored and a rejection was recorded instead (too-large). */
  rejection?: { reason: 'too-large'; detail: string };
  itemsWritten: number;
  /** Consumed write capacity as DynamoDB reports it. */
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
  /** Read-plan-write attempts when another writer changes the key in between. Then SQS redelivers the record. */
  conflictAttempts?: number;
  now?: () => Date;
  /**
   * Where bodies too large for their item go (./article-body.ts). Without it such an article is recorded as a
   * `too-large` rejection.
   */
  bodies?: BodyStore;
  /** Index entries written at once (default 16). */
  concurrency?: number;
}

/** Padding is idempotent, so callers may pass S3's raw sequencer or an already padded one. */
const padded = (raw: string): string => {
  const sequencer = SequencerSchema.safeParse(raw);
  if (!sequencer.success) throw new TypeError(`not an S3 sequencer: ${raw}`);
  return sequencer.data;
};

const CapacitySchema = z.object({ CapacityUnits: z.number().optional() });
const unitsOf = (consumed: unknown): number => CapacitySchema.safeParse(consumed).data?.CapacityUnits ?? 0;

const isConditionFailure = (error: unknown) =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** PartiQL's limit on statements per BatchExecuteStatement. */
const MAX_BATCH_STATEMENTS = 25;

type Tally = { items: number; units: number };
type Step = PutCommand | DeleteCommand | UpdateCommand;

export const makeArticleWriter = (options: ArticleWriterOptions): ArticleWriter => {
  const { tableName } = options;
  const doc = DynamoDBDocumentClient.from(options.client, {
    marshallOptions: { removeUndefinedValues: true },
  });
  const now = options.now ?? (() => new Date());
  const conflictAttempts = options.conflictAttempts ?? 5;
  const concurrency = options.concurrency ?? 16;

  const readState = makeStateReader(doc, tableName);
  const bodies = bodyKeeper(options.bodies);
  /** States read by `check`, reused by the write of the same event (sequential use: a handful at most). */
  const primed = new Map<string, CurrentState>();

  /** One conditional write; false when its condition failed. */
  const send = async (tally: Tally, command: Step): Promise<boolean> => {
    try {
      const out =
        command instanceof PutCommand
          ? await doc.send(command)
          : command instanceof DeleteCommand
            ? await doc.send(command)
            : await doc.send(command);
      tally.items += 1;
      tally.units += unitsOf(out.ConsumedCapacity);
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };
  const put = (item: Record<string, unknown>, condition: Condition) =>
    new PutCommand({ TableName: tableName, Item: item, ReturnConsumedCapacity: 'TOTAL', ...condition });
  const remove = (key: { pk: string; sk: string }, condition: Condition) =>
    new DeleteCommand({
      TableName: tableName,
      Key: { pk: key.pk, sk: key.sk },
      ReturnConsumedCapacity: 'TOTAL',
      ...condition,
    });

  /**
   * New entries go in batches of PartiQL INSERTs: an INSERT only creates an item (it fails on an existing key,
   * so it can never overwrite a newer revision's entry), each statement bills as a standard write, and one call
   * carries 25. A statement that fails for any reason, an existing key included, is redone as the conditional
   * PutItem. Entries the previous revision listed exist already and take the PutItem at once.
   */
  const putEntries = async (
    tally: Tally,
    entries: IndexEntry[],
    rev: string,
    existing: ReadonlySet<string>,
  ) => {
    const fresh: IndexEntry[] = [];
    const single: IndexEntry[] = [];
    for (const entry of entries) (existing.has(indexKeyOf(entry)) ? single : fresh).push(entry);
    const batches: IndexEntry[][] = [];
    for (let i = 0; i < fresh.length; i += MAX_BATCH_STATEMENTS)
      batches.push(fresh.slice(i, i + MAX_BATCH_STATEMENTS));
    await eachLimited(batches, concurrency, async (batch) => {
      const statements = batch.map((entry) => {
        const item: Record<string, unknown> = { ...entry, rev };
        const names = Object.keys(item).filter((k) => item[k] !== undefined);
        return {
          Statement: `INSERT INTO "${tableName}" VALUE {${names.map((k) => `'${k}': ?`).join(', ')}}`,
          Parameters: names.map((k) => item[k]),
        };
      });
      const out = await doc.send(new BatchExecuteStatementCommand({ Statements: statements }));
      batch.forEach((entry, i) => {
        if (out.Responses?.[i]?.Error) single.push(entry);
        else {
          tally.items += 1;
          // BatchExecuteStatement reports no capacity: an entry is under 1 KB, one write unit.
          tally.units += 1;
        }
      });
    });
    await eachLimited(single, concurrency, (entry) => send(tally, put({ ...entry, rev }, revAtMost(rev))));
  };

  /**
   * Steps (2)-(5) of a write. 'superseded' when a newer revision took over on the way, 'not-stored' when that
   * happened before this write's article was put (its body, if any, is then pointed to by nothing).
   */
  const stages = async (
    tally: Tally,
    id: string,
    plan: Extract<WritePlan, { kind: 'write' }>,
  ): Promise<'done' | 'superseded' | 'not-stored'> => {
    const { rev } = plan.upload;
    if (plan.article && !(await send(tally, put({ ...plan.article }, revAtMost(rev))))) return 'not-stored';
    await putEntries(tally, plan.puts, rev, plan.existing);
    await eachLimited(plan.deletes, concurrency, (key) => send(tally, remove(key, revBelow(rev))));
    if (plan.removeArticle && !(await send(tally, remove(keys.article(id), revAtMost(rev)))))
      return 'superseded';
    const cleared = await send(
      tally,
      new UpdateCommand({
        TableName: tableName,
        Key: keys.upload(id),
        UpdateExpression: 'REMOVE pending, stale',
        ReturnConsumedCapacity: 'TOTAL',
        ...revIs(rev),
      }),
    );
    return cleared ? 'done' : 'superseded';
  };

  /** Step (1), or the whole of an outcome-only write; a failed condition means the key changed since the read. */
  const putOutcome = async (tally: Tally, plan: Exclude<WritePlan, { kind: 'skip' }>) => {
    if (!(await send(tally, put({ ...plan.upload }, revUnchanged(plan.expected, plan.legacy)))))
      throw new StaleWriteError('the key changed since it was read');
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
        if (plan.kind === 'upload-only') {
          await putOutcome(tally, plan);
          const effect = plan.why === 'unchanged' ? 'unchanged' : 'written';
          return { recorded: plan.upload.status, effect, mode: 'single', ...base() };
        }
        if (!plan.resume) await putOutcome(tally, plan);
        const staged = await stages(tally, id, plan);
        if (staged !== 'done') {
          if (staged === 'not-stored') await bodies.discard(prepared?.overflow, current);
          return { recorded: null, effect: 'superseded', mode: 'staged', ...base() };
        }
        await bodies.replaced(current, plan.article);
        const effect = plan.resume ? 'resumed' : 'written';
        return { recorded: plan.upload.status, effect, mode: 'staged', ...base() };
      } catch (error) {
        // Another writer changed the key since our read: read again. A newer event makes this one stale (the
        // next plan says so); an older one only moved the state our diff must be computed from.
        if (!(error instanceof StaleWriteError)) throw error;
        if (attempt >= conflictAttempts)
          throw new TransientStoreError('the key kept changing under this writer', { cause: error });
        // Conflicts come from writers of the same key: retrying at once mostly meets them again, so back off with
        // jitter (about 20, 40, 80, 160 ms).
        await sleep(20 * 2 ** (attempt - 1) * (0.5 + Math.random()));
      }
    }
  };

  return { write, check, checkReprocess: checkReprocessFor };
};
