import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { runCommand } from './cli';
import { dataPaths, findRunningStack } from './data-dir';
import { DATA_DIR_OPTION, DEFAULT_BUCKET } from './options';
import { LocalQueue } from './queue';
import { ReplayFileError, replayBodies } from './replay-file';
import { callStack } from './stack-finder';

const SentSchema = z.object({ sent: z.number() });

/** Exit codes: 0 sent, 1 the file is not a notification (or the stack refused it), 2 misuse. */
runCommand(
  {
    name: 'npm run replay',
    args: { placeholder: '<file>', min: 1, max: 1 },
    description:
      "Sends each S3 event notification in <file> to the local stack's ingest queue, as S3 would: the JSON S3 sends\n" +
      '({"Records": [...]}), an SQS message that carries one ({"Body": "..."}), a ReceiveMessage answer, a Lambda SQS\n' +
      'event, or an array of these. The bucket is renamed to the local one. With no stack running on the data\n' +
      'folder, the notifications are queued for its next start.',
    options: { 'data-dir': DATA_DIR_OPTION },
    examples: ['npm run replay -- captured-notification.json'],
  },
  async ({ values, args }) => {
    const file = args[0] ?? '';
    const dataDir = values['data-dir'];
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
    if (others.length > 0)
      console.log(`Bucket ${others.join(', ')} replayed as the local bucket "${bucket}".`);
    if (running) {
      const res = await callStack(dataDir, running, '/_local/send', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ bodies }),
      });
      if (!res.ok) {
        console.error(`The local stack refused the notifications: HTTP ${res.status}`);
        return 1;
      }
      const { sent } = SentSchema.parse(await res.json());
      console.log(
        `Sent ${sent} notification(s) to the ingest queue of the running stack (${running.apiUrl}).`,
      );
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
  },
);
