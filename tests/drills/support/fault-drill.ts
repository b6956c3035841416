import { PutObjectCommand } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { makeArticle } from './articles';
import { type FaultWindow, injectDynamoFaults, type KillSwitch, killable } from './faults';
import { makeRng } from './rng';
import { inParallel, startStackDrill } from './stack-drill';
import { checkTable, type TableReport } from './table-check';

/**
 * Drill 3, through the whole local pipeline: a burst of uploads; part-way through, DynamoDB fails every call for
 * a window (throttling, 503s, refused connections), some write responses are lost after the write committed,
 * and some ingest invocations die half-way through their batch. Records that run out of receives land in the
 * DLQ; the redrive brings them in. Every article must end ingested exactly once.
 */
export interface FaultOptions {
  uploads: number;
  seed: number;
  /** The fault window opens after this many records reached the handler, and lasts this long. */
  faultAfterRecords: number;
  faultMs: number;
  /** Lose the response of every n-th write call (committed, but the caller sees an error). */
  loseEvery: number;
  /** How many invocations die half-way (spread over the start of the burst). */
  kills: number;
  idleTimeoutMs: number;
  log?: (line: string) => void;
}

export interface FaultResult {
  uploads: number;
  window: Omit<FaultWindow, 'until'>;
  kills: Omit<KillSwitch, 'limit'>;
  deadLettered: number;
  redriven: number;
  deadLettersAfter: number;
  report: TableReport;
}

const StatusSchema = z.object({ queued: z.number(), deadLetters: z.number() });
const RedriveSchema = z.object({ redriven: z.number() });

export const runFaultDrill = async (options: FaultOptions): Promise<FaultResult> => {
  // The stack's Powertools defaults leave warnings and errors on; the drill reports its own counts instead.
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  const log = options.log ?? (() => {});
  const rng = makeRng(options.seed);
  let window: FaultWindow | null = null;
  const kills: KillSwitch = {
    limit: options.kills,
    killed: 0,
    seen: 0,
    records: 0,
  };
  let opened = false;
  const drill = await startStackDrill({
    tuning: { visibilityTimeoutMs: 100, maxReceiveCount: 3 },
    wrap: (make) => async (deps) => {
      const faults = injectDynamoFaults(deps.dynamodb);
      // Lost responses all along: a retried event whose write did commit must come back as a duplicate.
      faults.loseEvery = options.loseEvery;
      window = faults;
      const handlers = await make(deps);
      const ingest = killable(handlers.ingest, kills);
      return {
        ...handlers,
        ingest: async (event, context) => {
          if (!opened && kills.records >= options.faultAfterRecords) {
            opened = true;
            faults.until = Date.now() + options.faultMs;
            log(`faults: DynamoDB fails every call for ${options.faultMs} ms from record ${kills.records}`);
          }
          return ingest(event, context);
        },
      };
    },
  });
  try {
    const texts = new Map<string, Buffer>();
    for (let i = 0; i < options.uploads; i++)
      texts.set(`faults/${String(i).padStart(5, '0')}.txt`, Buffer.from(makeArticle(rng).text, 'utf8'));
    const started = Date.now();
    await inParallel([...texts], 8, async ([key, body]) => {
      await drill.s3.send(new PutObjectCommand({ Bucket: drill.stack.bucket, Key: key, Body: body }));
    });
    log(`faults: ${texts.size} uploads sent in ${Date.now() - started} ms`);
    await drill.stack.waitForIdle(options.idleTimeoutMs);
    const faults = window as FaultWindow | null;
    // Everything may have been dead-lettered while DynamoDB was still failing: redrive once it is back.
    const closed = (faults?.until ?? 0) - Date.now();
    if (closed > 0) await new Promise((r) => setTimeout(r, closed));
    const before = StatusSchema.parse(await (await drill.api('/_local/status')).json());
    const { redriven } = RedriveSchema.parse(
      await (await drill.api('/_local/redrive', { method: 'POST' })).json(),
    );
    await drill.stack.waitForIdle(options.idleTimeoutMs);
    const after = StatusSchema.parse(await (await drill.api('/_local/status')).json());
    if (after.deadLetters > 0)
      log(
        `faults: still dead-lettered: ${JSON.stringify(await (await drill.api('/_local/dlq')).json())
          .replace(/"body":"(?:[^"\\]|\\.)*"/g, '')
          .slice(0, 1500)}`,
      );
    log(
      `faults: ${faults?.failed ?? 0} calls failed, ${faults?.lostResponses ?? 0} responses lost, ${kills.killed} invocations killed; ${before.deadLetters} dead-lettered, ${redriven} redriven, ${after.deadLetters} left`,
    );
    const { until: _until, ...windowStats } = faults ?? {
      until: 0,
      calls: 0,
      failed: 0,
      lostResponses: 0,
      loseEvery: 0,
    };
    const killStats = { killed: kills.killed, seen: kills.seen, records: kills.records };
    // The sequencer is the bridge's; the newest per key is whatever the outcome holds, so only its presence and
    // the content are checked here (ordering has its own drills).
    const items = await drill.scan();
    const sequencers = new Map(
      items.filter((i) => i.sk === 'UPLOAD').map((i) => [String(i.key), String(i.sequencer)]),
    );
    const report = checkTable(
      [...texts].map(([key, bytes]) => ({ key, bytes, newestSequencer: sequencers.get(key) ?? '0' })),
      items,
    );
    return {
      uploads: texts.size,
      window: windowStats,
      kills: killStats,
      deadLettered: before.deadLetters,
      redriven,
      deadLettersAfter: after.deadLetters,
      report,
    };
  } finally {
    await drill.stop();
  }
};
