import { z } from 'zod';
import { verifyOnAws } from '../verify-aws';
import { printSummary, printTally, ReadSchema, SummarySchema, TallySchema } from '../verify-print';
import { runCommand } from './cli';
import { DATA_DIR_OPTION } from './options';
import { callStack, requireRunningStack } from './stack-finder';

const ReplySchema = z.object({
  found: SummarySchema,
  read: ReadSchema.extend({ ms: z.number() }),
  mended: TallySchema.optional(),
  after: SummarySchema.optional(),
  clean: z.boolean(),
});

runCommand(
  {
    name: 'npm run verify',
    description:
      'Proves the table matches its bucket and itself: objects without a record or newer than it, records of\n' +
      'deleted objects, derived items missing, made up or different from what their record derives, counts that\n' +
      'differ from their entries, bodies nothing points at. Without --stack: the running local stack, once it is\n' +
      "quiet. With --stack: the deployed stack's verify state machine, followed until it ends.\n" +
      'Exit 0 when clean, 1 when drift was found (with --repair: when some is left after mending).',
    options: {
      repair: {
        type: 'boolean',
        help: 'mend every kind (re-ingest, derive again, delete, recount); locally, then check again',
      },
      'data-dir': DATA_DIR_OPTION,
      stack: {
        type: 'string',
        placeholder: '<name>',
        help: 'the deployed stack: starts its verify state machine (standard AWS credential chain)',
      },
      region: { type: 'string', placeholder: '<region>', help: "the deployed stack's region (with --stack)" },
    },
    examples: [
      'npm run verify',
      'npm run verify -- --repair',
      'npm run verify -- --stack NewsPipeline --region eu-west-1 --repair',
    ],
  },
  async ({ values }) => {
    if (values.stack) {
      process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
      return verifyOnAws({ stackName: values.stack, repair: values.repair ?? false, region: values.region });
    }
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
    printSummary('Found', reply.found);
    if (reply.mended) printTally(reply.mended);
    if (reply.after) printSummary('After repair', reply.after);
    return reply.clean ? 0 : 1;
  },
);
