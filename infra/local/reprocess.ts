import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { runOnAws } from '../reprocess-aws';
import { findRunningStack } from './data-dir';
import { DEFAULT_DATA_DIR } from './options';
import { type ReprocessProgress, ReprocessProgressSchema } from './reprocess-run';

const USAGE = `Usage: npm run reprocess [-- --prefix P] [--data-dir D]
       npm run reprocess -- --stack <name> [--prefix P] [--region R]
  Re-ingests what the bucket holds: objects without an outcome are ingested, articles made by an older parser or
  from other content are re-stored, current ones cost one read. Uploads and deletes that arrive meanwhile win.
  Without --stack: the running local stack (\`npm start\`), found through its data folder.
  --stack <name>        the deployed stack: starts its reprocess state machine (standard AWS credential chain)
  --prefix P            only keys that start with P
  --data-dir D          the local stack's data folder (default ${DEFAULT_DATA_DIR})`;

const POLL_MS = 250;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const settled = (p: ReprocessProgress) => p.restored + p.unchanged + p.rejected + p.deleted + p.failed;

const formatTally = (p: ReprocessProgress): string =>
  [
    `listed ${p.listed}`,
    `re-stored ${p.restored}`,
    `unchanged ${p.unchanged}`,
    `rejected ${p.rejected}`,
    ...(p.deleted > 0 ? [`deleted ${p.deleted}`] : []),
    `failed ${p.failed}`,
  ].join(', ');

const runLocally = async (apiUrl: string, prefix: string): Promise<ReprocessProgress> => {
  const call = async (method: 'GET' | 'POST', body?: unknown) => {
    const res = await fetch(`${apiUrl}/_local/reprocess`, {
      method,
      ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
    });
    return ReprocessProgressSchema.parse(await res.json());
  };
  let progress = await call('POST', { prefix });
  const bar = new SingleBar({
    format: ' {bar} {value}/{total} objects | {restored} re-stored | {unchanged} unchanged | {failed} failed',
    hideCursor: true,
  });
  bar.start(progress.listed, 0, progress);
  while (!progress.finished) {
    await sleep(POLL_MS);
    progress = await call('GET');
    bar.setTotal(progress.listed);
    bar.update(settled(progress), progress);
  }
  bar.stop();
  return progress;
};

const main = async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values } = parseArgs({
    options: {
      stack: { type: 'string' },
      region: { type: 'string' },
      prefix: { type: 'string', default: '' },
      'data-dir': { type: 'string', default: process.env.DATA_DIR ?? DEFAULT_DATA_DIR },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.stack) {
    const ok = await runOnAws({ stackName: values.stack, prefix: values.prefix, region: values.region });
    process.exit(ok ? 0 : 1);
  }
  const running = findRunningStack(values['data-dir']);
  if (!running) {
    console.error(`No local stack is running on ${values['data-dir']}; start it with \`npm start\`.`);
    process.exit(1);
  }
  const scope = values.prefix ? `s3://${running.bucket}/${values.prefix}*` : `s3://${running.bucket}`;
  console.log(`Reprocessing ${scope} through the local stack at ${running.apiUrl}`);
  const progress = await runLocally(running.apiUrl, values.prefix);
  console.log(`Reprocess ${progress.run}: ${formatTally(progress)}`);
  if (progress.error) console.error(progress.error);
  if (progress.failed > 0) console.log('Failed messages are in the DLQ: `npm run redrive` retries them.');
  process.exit(progress.error || progress.failed > 0 ? 1 : 0);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
