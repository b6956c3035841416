import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { parseOrExit } from '../../infra/local/cli';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local';
import { benchApi } from './api';
import { type LoadTargets, ROUTES, readUnitsPerPage, tableSize } from './bare-calls';
import { type BurstFigures, combineBursts, runBurst } from './burst';
import { benchCapacity, capacitySection } from './capacity-section';
import { benchColdStart } from './cold-start';
import { benchCore } from './core';
import { listTexts } from './corpus-files';
import { costSection, type ReadUnits, readUnitsSection } from './cost-section';
import { benchE2e } from './e2e';
import { benchIngest } from './ingest';
import { benchLoad, pickTargets } from './load';
import { machine, renderSection, type Section } from './report';
import { benchReprocess } from './reprocess';
import * as s from './sections';
import { round } from './stats';
import { benchStreamLag, streamLagSection } from './stream-lag';
import { benchVerify, verifySection } from './verify';
import { benchWriteSideSize, writeSideSizeSection } from './write-side-size';

/**
 * `npm run bench [-- --corpus <dir>] [--quick] [--only size,core,ingest,capacity,reprocess,api,cold,e2e,lag,verify,burst]`: every section in turn,
 * one table each, all figures to bench-results/latest.json. Loopback only; every stack it starts is stopped; a
 * global deadline ends the run if anything hangs. Ratios are measured side by side within this one run.
 */
const REPO = resolve(import.meta.dirname, '../..');
const SECTIONS = [
  'size',
  'core',
  'ingest',
  'capacity',
  'reprocess',
  'api',
  'cold',
  'e2e',
  'lag',
  'verify',
  'burst',
] as const;

const { values } = parseOrExit({
  name: 'npm run bench',
  description:
    'Every bench section in turn, one table each, all figures to a JSON file. Loopback only; every stack it starts\nis stopped; a global deadline ends the run if anything hangs.',
  options: {
    corpus: {
      type: 'string',
      placeholder: '<dir>',
      help: 'a folder of article texts (default ../shared/corpus/bbc, else seeds/)',
    },
    quick: { type: 'boolean', help: 'smaller sizes and a 20-minute deadline instead of 60' },
    only: {
      type: 'string',
      placeholder: '<sections>',
      help: `comma-separated sections to run: ${SECTIONS.join(', ')}`,
      schema: z
        .string()
        .refine((v) => v.split(',').every((x) => (SECTIONS as readonly string[]).includes(x)), {
          message: `expected some of ${SECTIONS.join(', ')}, comma-separated`,
        }),
    },
    out: {
      type: 'string',
      placeholder: '<file>',
      default: join(REPO, 'bench-results', 'latest.json'),
      help: 'where the figures go',
    },
  },
  examples: ['npm run bench -- --quick --only core,api'],
});
const quick = values.quick;
const only = new Set(values.only ? values.only.split(',') : SECTIONS);
const defaultCorpus = join(REPO, '..', 'shared', 'corpus', 'bbc');
const corpusArg = values.corpus ? resolve(values.corpus) : defaultCorpus;
const corpusDir = existsSync(corpusArg) && statSync(corpusArg).isDirectory() ? corpusArg : null;
const seedsDir = join(REPO, 'seeds');
const size = quick
  ? {
      burst: 300,
      burstRounds: 1,
      apiSamples: 60,
      coldRuns: 5,
      e2eCount: 10,
      e2eColdStarts: 1,
      loadS: 2,
      loadRounds: 1,
      verifyArticles: 300,
    }
  : {
      burst: 2000,
      burstRounds: 2,
      apiSamples: 300,
      coldRuns: 15,
      e2eCount: 30,
      e2eColdStarts: 3,
      loadS: 5,
      loadRounds: 2,
      verifyArticles: 1_000,
    };
const deadlineMin = quick ? 20 : 60;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const deadline = setTimeout(() => {
  console.error(
    `\nbench: still running after ${deadlineMin} minutes; stopping (local Java children are killed on exit)`,
  );
  process.exit(2);
}, deadlineMin * 60_000);
deadline.unref();

const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  mode: quick ? 'quick' : 'full',
  corpus: corpusDir ?? 'none (seeds only)',
  machineAtStart: machine(),
};
const sections: Section[] = [];
const show = (section: Section) => {
  sections.push(section);
  console.log(renderSection(section));
};
const started = Date.now();
const step = async <T>(name: string, run: () => Promise<T>): Promise<T | null> => {
  const t = Date.now();
  process.stdout.write(`\n[${Math.round((t - started) / 1000)}s] ${name}...`);
  try {
    const value = await run();
    process.stdout.write(` done in ${Math.round((Date.now() - t) / 1000)} s\n`);
    return value;
  } catch (error) {
    console.error(`\n${name} failed:`, error);
    results[`${name}Error`] = error instanceof Error ? error.message : String(error);
    return null;
  }
};

console.log(
  `bench (${quick ? 'quick' : 'full'}) on ${results.machineAtStart ? JSON.stringify(results.machineAtStart) : ''}`,
);
if (!corpusDir)
  console.log(`corpus folder ${corpusArg} not found: seeds only (figures are then not comparable)`);

const writeSide = only.has('size') ? await step('size', async () => benchWriteSideSize(REPO)) : null;
if (writeSide) show(writeSideSizeSection(writeSide));
results.writeSideSize = writeSide;

const core = only.has('core') ? await step('core', () => benchCore({ corpusDir, seedsDir })) : null;
if (core) show(s.coreSection(core));
results.core = core;

const ingestRaw = only.has('ingest')
  ? await step('ingest', () => benchIngest({ corpusDir, seedsDir }))
  : null;
const ingest = s.IngestFiguresSchema.safeParse(ingestRaw);
if (ingest.success) show(s.ingestSection(ingest.data));
else if (ingestRaw) console.error(`ingest figures not in the expected shape: ${ingest.error.message}`);
results.ingest = ingestRaw;

const capacity = only.has('capacity')
  ? await step('capacity', async () => benchCapacity({ corpusDir, seedsDir }))
  : null;
if (capacity) for (const section of capacitySection(capacity)) show(section);
results.capacity = capacity?.runs;

const reprocess = only.has('reprocess')
  ? await step('reprocess', () => benchReprocess({ corpusDir, seedsDir }))
  : null;
if (reprocess) show(reprocess.section);
results.reprocess = reprocess?.figures ?? null;

const api = only.has('api') ? await step('api', () => benchApi({ samples: size.apiSamples })) : null;
if (api) show(s.apiSection(api));
results.apiInProcess = api;

const cold = only.has('cold') ? await step('cold start', () => benchColdStart(size.coldRuns)) : null;
if (cold) show(s.coldStartSection(cold));
results.coldStart = cold;

const e2eRaw = only.has('e2e')
  ? await step('e2e', () =>
      benchE2e({ corpusDir, seedsDir, count: size.e2eCount, coldStarts: size.e2eColdStarts }),
    )
  : null;
const e2e = s.E2eFiguresSchema.safeParse(e2eRaw);
if (e2e.success) show(s.e2eSection(e2e.data));
else if (e2eRaw) console.error(`e2e figures not in the expected shape: ${e2e.error.message}`);
results.e2e = e2eRaw;

const lag = only.has('lag')
  ? await step('lag', async () => ({
      one: await benchStreamLag({ corpusDir, seedsDir, count: 10 }),
      burst: await benchStreamLag({ corpusDir, seedsDir, count: 1_000, burst: true }),
    }))
  : null;
if (lag) show(streamLagSection(lag.one, lag.burst));
results.streamLag = lag;

const verify = only.has('verify')
  ? await step('verify', () => benchVerify({ corpusDir, seedsDir, articles: size.verifyArticles }))
  : null;
if (verify) show(verifySection(verify));
results.verify = verify;

if (only.has('burst')) {
  const files = corpusDir ? listTexts(corpusDir) : listTexts(seedsDir);
  // Rounds alternate minimal, ours, minimal, ours... so slow spells on the shared machine hit both; the last
  // round's stack (ours) stays up for the load and read-unit benches.
  const oursRounds: BurstFigures[] = [];
  const minimalRounds: BurstFigures[] = [];
  for (let round = 1; round <= size.burstRounds; round++) {
    const m = await step(`burst round ${round} (minimal pipeline)`, async () => {
      const run = await runBurst({ kind: 'minimal', files, count: size.burst });
      await run.stop();
      return run.figures;
    });
    if (m) minimalRounds.push(m);
    if (round === size.burstRounds) break;
    const o = await step(`burst round ${round} (ours)`, async () => {
      const run = await runBurst({ kind: 'ours', files, count: size.burst });
      await run.stop();
      return run.figures;
    });
    if (o) oursRounds.push(o);
  }
  let targets: LoadTargets | null = null;
  let half: { articles: number; units: ReadUnits } | null = null;
  const ours = await step(
    `burst round ${size.burstRounds} (ours), then API load and read units`,
    async () => {
      const run = await runBurst({
        kind: 'ours',
        files,
        count: size.burst,
        onHalf: async (stack, doneKeys) => {
          targets = await pickTargets(stack, doneKeys);
          const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: stack.dynamoDbEndpoint });
          half = {
            articles: doneKeys.length,
            units: await readUnitsPerPage(client, stack.tableName, targets),
          };
          client.destroy();
        },
      });
      try {
        const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint: run.stack.dynamoDbEndpoint });
        const picked: LoadTargets = targets ?? (await pickTargets(run.stack, run.keys));
        const full = {
          articles: run.keys.length,
          units: await readUnitsPerPage(client, run.stack.tableName, picked),
        };
        const load = await benchLoad({
          stack: run.stack,
          targets: picked,
          durationS: size.loadS,
          rounds: size.loadRounds,
        });
        const table = await tableSize(client, run.stack.tableName);
        client.destroy();
        return { figures: run.figures, full, load, table };
      } finally {
        await run.stop();
      }
    },
  );
  if (ours) oursRounds.push(ours.figures);
  const oursAll = combineBursts(oursRounds);
  const minimalAll = combineBursts(minimalRounds);
  const perRound = oursRounds.map((o, i) => {
    const m = minimalRounds[i];
    return m ? s.burstOverhead(o, m) : Number.NaN;
  });
  results.burst = {
    ours: oursAll,
    minimal: minimalAll,
    rounds: { ours: oursRounds, minimal: minimalRounds, overheadPerRound: perRound },
    overhead: oursAll && minimalAll ? s.burstOverhead(oursAll, minimalAll) : null,
  };
  if (oursAll && minimalAll) show(s.burstSection(oursAll, minimalAll, perRound));
  if (ours) {
    show(s.loadSection(ours.load));
    results.apiLoad = ours.load;
    const small = half ?? { articles: 0, units: {} };
    show(readUnitsSection(small, ours.full));
    results.readUnits = { small, large: ours.full };
    const articles = ours.figures.verified.ingested ?? ours.figures.uploads;
    const rcuPerRoute = Object.fromEntries(ROUTES.map((r) => [r, ours.full.units[r]?.modelledRcu ?? 0]));
    // Billed Lambda time per call: the warm in-process handler median per route (benchApi lists the routes in
    // ROUTES order), rounded up to Lambda's 1 ms; without that section, the load bench's p50.
    const apiMsPerRoute = Object.fromEntries(
      ROUTES.map((r, i) => [r, Math.ceil(api?.routes[i]?.handlerMedianMs ?? ours.load.routes[r].api.p50Ms)]),
    );
    const cost = costSection({
      wcuPerArticle: ingest.success ? ingest.data.capacity.wcuPerArticleModelled.mean : Number.NaN,
      bytesPerArticle: round(ours.table.bytes / articles, 0),
      itemsPerArticle: round(ours.table.items / articles, 1),
      ingestMsPerArticle: (oursAll ?? ours.figures).handlerMsPerRecord,
      apiMsPerRoute,
      rcuPerRoute,
    });
    show(cost.section);
    results.cost = { table: ours.table, rcuPerRoute, estimates: cost.perRoute };
  }
}

results.machineAtEnd = machine();
results.tables = sections;
results.elapsedS = Math.round((Date.now() - started) / 1000);
mkdirSync(resolve(values.out ?? '', '..'), { recursive: true });
writeFileSync(values.out ?? '', `${JSON.stringify(results, null, 2)}\n`);
console.log(
  `\nall figures: ${values.out} (${results.elapsedS} s; load average ${JSON.stringify(machine().loadAverage)} at end)`,
);
clearTimeout(deadline);
