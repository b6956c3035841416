import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { dataPaths, findRunningStack } from './data-dir';
import { DEFAULT_BUCKET, DEFAULT_DATA_DIR } from './options';
import { LocalQueue } from './queue';
import { ReplayFileError, replayBodies } from './replay-file';

const USAGE = `Usage: npm run replay -- <file> [--data-dir <path>]
  Sends each S3 event notification in <file> to the local stack's ingest queue, as S3 would: the JSON S3 sends
  ({"Records": [...]}), an SQS message that carries one ({"Body": "..."}), a ReceiveMessage answer, a Lambda SQS
  event, or an array of these. The bucket is renamed to the local one.
  --data-dir <path>   the local stack's data folder (DATA_DIR, default ${DEFAULT_DATA_DIR})
  --help              show this help
Example: npm run replay -- captured-notification.json`;

const SentSchema = z.object({ sent: z.number() });

/** Exit codes: 0 sent, 1 the file is not a notification (or the stack refused it), 2 misuse. */
const main = async (): Promise<number> => {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)} (see npm run replay -- --help)`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error('Name one file of S3 event notifications (see npm run replay -- --help)');
    return 2;
  }
  const file = positionals[0] as string;
  const dataDir = String(values['data-dir'] ?? process.env.DATA_DIR ?? DEFAULT_DATA_DIR);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    console.error(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return 1;
  }
  const running = findRunningStack(dataDir);
  const bucket = running?.bucket ?? DEFAULT_BUCKET;
  let bodies: string[];
  let buckets: string[];
  try {
    ({ bodies, buckets } = replayBodies(text, bucket));
  } catch (error) {
    if (!(error instanceof ReplayFileError)) throw error;
    console.error(`${file}: ${error.message}`);
    return 1;
  }
  const others = buckets.filter((b) => b !== bucket);
  if (others.length > 0) console.log(`Bucket ${others.join(', ')} replayed as the local bucket "${bucket}".`);
  if (running) {
    const res = await fetch(`${running.apiUrl}/_local/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ bodies }),
    });
    if (!res.ok) {
      console.error(`The local stack refused the notifications: HTTP ${res.status}`);
      return 1;
    }
    const { sent } = SentSchema.parse(await res.json());
    console.log(`Sent ${sent} notification(s) to the ingest queue of the running stack (${running.apiUrl}).`);
    console.log(`Outcomes: curl -s ${running.apiUrl}/uploads/<key>`);
    return 0;
  }
  const queue = new LocalQueue({
    dataDir: dataPaths(dataDir).root,
    visibilityTimeoutMs: 0,
    maxReceiveCount: 1,
  });
  for (const body of bodies) queue.send(body);
  queue.flush();
  console.log(
    `No stack is running on ${dataDir}: queued ${bodies.length} notification(s); \`npm start -- --data-dir ${dataDir}\` will process them.`,
  );
  return 0;
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
