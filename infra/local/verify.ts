import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DRIFT_KINDS } from '../../functions/verify/drift';
import { findRunningStack } from './data-dir';
import { DEFAULT_DATA_DIR } from './options';

const USAGE = `Usage: npm run verify [-- --repair] [--data-dir D]
  Proves the local table matches its bucket and itself: objects without a record or newer than it, records of
  deleted objects, derived items missing, made up or different from what their record derives, counts that differ
  from their entries, bodies nothing points at. Waits until the running stack is quiet first.
  Exit 0 when clean, 1 when drift was found (with --repair: when some is left after mending).
  --repair              mend every kind (re-ingest, derive again, delete, recount), then check again
  --data-dir D          the local stack's data folder (DATA_DIR, default ${DEFAULT_DATA_DIR})
  --help                show this help
Example: npm run verify -- --repair`;

const Kind = z.object({ count: z.number(), examples: z.array(z.string()) });
const Summary = z.record(z.string(), Kind);
const ReplySchema = z.object({
  found: Summary,
  read: z.object({
    items: z.number(),
    records: z.number(),
    objects: z.number(),
    bodies: z.number(),
    readUnits: z.number(),
    ms: z.number(),
  }),
  mended: z.record(z.string(), z.object({ mended: z.number(), changedSince: z.number() })).optional(),
  after: Summary.optional(),
  clean: z.boolean(),
});

const print = (title: string, summary: z.infer<typeof Summary>) => {
  const total = Object.values(summary).reduce((n, k) => n + k.count, 0);
  console.log(`${title}: ${total === 0 ? 'no drift' : `${total} finding(s)`}`);
  for (const kind of DRIFT_KINDS) {
    const k = summary[kind];
    if (!k || k.count === 0) continue;
    console.log(`  ${kind.padEnd(26)} ${String(k.count).padStart(6)}`);
    for (const example of k.examples) console.log(`      e.g. ${example}`);
  }
};

const main = async (): Promise<number> => {
  let values: { repair?: boolean; 'data-dir'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      strict: true,
      options: {
        repair: { type: 'boolean' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)} (see npm run verify -- --help)`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const dataDir = values['data-dir'] ?? process.env.DATA_DIR ?? DEFAULT_DATA_DIR;
  const running = findRunningStack(dataDir);
  if (!running) {
    console.error(
      `No local stack is running on ${dataDir}: start it with \`npm start -- --data-dir ${dataDir}\`.`,
    );
    return 1;
  }
  const res = await fetch(`${running.apiUrl}/_local/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ repair: values.repair ?? false }),
  });
  if (!res.ok) {
    console.error(`The local stack could not verify: HTTP ${res.status} ${await res.text()}`);
    return 1;
  }
  const reply = ReplySchema.parse(await res.json());
  const { read } = reply;
  console.log(
    `Read ${read.records} record(s) and ${read.items} item(s), ${read.objects} object(s), ${read.bodies} body object(s) in ${read.ms} ms (${read.readUnits} read units).`,
  );
  print('Found', reply.found);
  if (reply.mended) {
    const mended = Object.entries(reply.mended).filter(([, t]) => t.mended + t.changedSince > 0);
    console.log('Mended:');
    for (const [kind, t] of mended)
      console.log(
        `  ${kind.padEnd(26)} ${String(t.mended).padStart(6)}${t.changedSince ? `  (${t.changedSince} changed since: left for the next check)` : ''}`,
      );
  }
  if (reply.after) print('After repair', reply.after);
  return reply.clean ? 0 : 1;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
