import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { LOCAL_AWS } from '../../../infra/local/dynamodb-local';
import { makeArticle } from './articles';
import { type FaultWindow, injectDynamoFaults, type KillSwitch, killable, killableStream } from './faults';
import { makeRng } from './rng';
import { inParallel, startStackDrill } from './stack-drill';
import { checkTable, type TableReport } from './table-check';
import { type ProxyMode, startTcpProxy } from './tcp-proxy';

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
  /** How many stream consumer (derive + count) invocations die half-way through their batch (default: as many as `kills`). */
  streamKills?: number;
  idleTimeoutMs: number;
  /**
   * How DynamoDB fails during the window: SDK middleware throwing throttling/503/connection errors (default), or
   * on the wire through a proxy, connections reset or accepted and never answered (then the function timeout,
   * `functionTimeoutMs`, is what ends a hung invocation).
   */
  outage?: 'middleware' | ProxyMode;
  functionTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface FaultResult {
  uploads: number;
  window: Omit<FaultWindow, 'until'>;
  kills: Omit<KillSwitch, 'limit'>;
  streamKills: Omit<KillSwitch, 'limit'>;
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
  const streamKills: KillSwitch = {
    limit: options.streamKills ?? options.kills,
    killed: 0,
    seen: 0,
    records: 0,
  };
  let opened = false;
  let windowEnds = 0;
  const outage = options.outage ?? 'middleware';
  let proxy: Awaited<ReturnType<typeof startTcpProxy>> | null = null;
  let proxied: DynamoDBClient | null = null;
  const drill = await startStackDrill({
    tuning: {
      visibilityTimeoutMs: 100,
      maxReceiveCount: 3,
      ...(options.functionTimeoutMs ? { functionTimeoutMs: options.functionTimeoutMs } : {}),
    },
    wrap: (make) => async (original) => {
      let deps = original;
      if (outage !== 'middleware') {
        const endpoint = await original.dynamodb.config.endpoint?.();
        proxy = await startTcpProxy({
          host: endpoint?.hostname ?? '127.0.0.1',
          port: Number(endpoint?.port),
        });
        proxied = new DynamoDBClient({ ...LOCAL_AWS, endpoint: proxy.endpoint });
        deps = { ...original, dynamodb: proxied };
      }
      const faults = injectDynamoFaults(deps.dynamodb);
      // Lost responses all along: a retried event whose write did commit must come back as a duplicate.
      faults.loseEvery = options.loseEvery;
      window = faults;
      const handlers = await make(deps);
      const ingest = killable(handlers.ingest, kills);
      const stream = handlers.stream;
      return {
        ...handlers,
        // The derive and count consumers use the same faulty client, and also die half-way through some batches.
        ...(stream ? { stream: killableStream(stream, streamKills) } : {}),
        ingest: async (event, context) => {
          if (!opened && kills.records >= options.faultAfterRecords) {
            opened = true;
            windowEnds = Date.now() + options.faultMs;
            const wire = proxy;
            if (wire) {
              wire.setMode(outage === 'reset' ? 'reset' : 'blackhole');
              setTimeout(() => wire.setMode('up'), options.faultMs);
            } else faults.until = windowEnds;
            log(
              `faults: DynamoDB ${outage === 'middleware' ? 'fails every call' : outage === 'reset' ? 'resets every connection' : 'accepts connections and never answers'} for ${options.faultMs} ms from record ${kills.records}`,
            );
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
    const closed = windowEnds - Date.now();
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
      `faults: ${faults?.failed ?? 0} calls failed in the SDK${proxy ? `, proxy ${JSON.stringify((proxy as Awaited<ReturnType<typeof startTcpProxy>>).stats)}` : ''}, ${faults?.lostResponses ?? 0} responses lost, ${kills.killed} invocations killed, ${streamKills.killed} stream batches killed; ${before.deadLetters} dead-lettered, ${redriven} redriven, ${after.deadLetters} left`,
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
      items.filter((i) => i.sk === 'RECORD').map((i) => [String(i.key), String(i.sequencer)]),
    );
    const report = checkTable(
      [...texts].map(([key, bytes]) => ({ key, bytes, newestSequencer: sequencers.get(key) ?? '0' })),
      items,
    );
    return {
      uploads: texts.size,
      window: windowStats,
      kills: killStats,
      streamKills: { killed: streamKills.killed, seen: streamKills.seen, records: streamKills.records },
      deadLettered: before.deadLetters,
      redriven,
      deadLettersAfter: after.deadLetters,
      report,
    };
  } finally {
    await drill.stop();
    (proxied as DynamoDBClient | null)?.destroy();
    await (proxy as Awaited<ReturnType<typeof startTcpProxy>> | null)?.stop();
  }
};
