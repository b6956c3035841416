import { z } from 'zod';
import { DRIFT_KINDS } from '../../functions/verify/drift';
import { runCommand } from './cli';
import { DATA_DIR_OPTION } from './options';
import { callStack, requireRunningStack } from './stack-finder';

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

runCommand(
  {
    name: 'npm run verify',
    description:
      'Proves the local table matches its bucket and itself: objects without a record or newer than it, records of\n' +
      'deleted objects, derived items missing, made up or different from what their record derives, counts that\n' +
      'differ from their entries, bodies nothing points at. Waits until the running stack is quiet first.\n' +
      'Exit 0 when clean, 1 when drift was found (with --repair: when some is left after mending).',
    options: {
      repair: {
        type: 'boolean',
        help: 'mend every kind (re-ingest, derive again, delete, recount), then check again',
      },
      'data-dir': DATA_DIR_OPTION,
    },
    examples: ['npm run verify', 'npm run verify -- --repair'],
  },
  async ({ values }) => {
    const dataDir = values['data-dir'];
    const running = requireRunningStack(dataDir);
    const res = await callStack(dataDir, running, '/_local/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ repair: values.repair }),
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
  },
);
