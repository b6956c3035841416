import { SingleBar } from 'cli-progress';
import { runOnAws } from '../reprocess-aws';
import { runCommand } from './cli';
import { DATA_DIR_OPTION } from './options';
import { type ReprocessProgress, ReprocessProgressSchema } from './reprocess-run';
import { callStack, requireRunningStack } from './stack-finder';

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

const runLocally = async (
  request: (path: string, init?: RequestInit) => Promise<Response>,
  prefix: string,
): Promise<ReprocessProgress> => {
  const call = async (method: 'GET' | 'POST', body?: unknown) => {
    const res = await request('/_local/reprocess', {
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

runCommand(
  {
    name: 'npm run reprocess',
    description:
      'Re-ingests what the bucket holds: objects without an outcome are ingested, articles made by an older parser or\n' +
      'from other content are re-stored, current ones cost one read. Uploads and deletes that arrive meanwhile win.\n' +
      'Without --stack: the running local stack, found through its data folder.',
    options: {
      'data-dir': DATA_DIR_OPTION,
      prefix: { type: 'string', placeholder: '<p>', default: '', help: 'only keys that start with <p>' },
      stack: {
        type: 'string',
        placeholder: '<name>',
        help: 'the deployed stack: starts its reprocess state machine (standard AWS credential chain)',
      },
      region: { type: 'string', placeholder: '<region>', help: "the deployed stack's region (with --stack)" },
    },
    examples: [
      'npm run reprocess',
      'npm run reprocess -- --prefix 2024/ --data-dir ./other-data',
      'npm run reprocess -- --stack NewsPipeline --region eu-west-1',
    ],
  },
  async ({ values }) => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    if (values.stack) {
      const ok = await runOnAws({ stackName: values.stack, prefix: values.prefix, region: values.region });
      return ok ? 0 : 1;
    }
    const dataDir = values['data-dir'];
    const running = requireRunningStack(dataDir);
    const scope = values.prefix ? `s3://${running.bucket}/${values.prefix}*` : `s3://${running.bucket}`;
    console.log(`Reprocessing ${scope} through the local stack at ${running.apiUrl}`);
    const progress = await runLocally((path, init) => callStack(dataDir, running, path, init), values.prefix);
    console.log(`Reprocess ${progress.run}: ${formatTally(progress)}`);
    if (progress.error) console.error(progress.error);
    if (progress.failed > 0) console.log('Failed messages are in the DLQ: `npm run redrive` retries them.');
    return progress.error || progress.failed > 0 ? 1 : 0;
  },
);
