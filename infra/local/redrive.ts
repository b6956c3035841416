import { parseArgs } from 'node:util';
import { z } from 'zod';
import { dataPaths, findRunningStack } from './data-dir';
import { DEFAULT_DATA_DIR } from './options';
import { LocalQueue } from './queue';

/**
 * `npm run redrive`: moves the local DLQ's messages back to the queue. With the stack running it asks the stack
 * (POST /_local/redrive), which owns the queue; otherwise it edits the queue files and the next start
 * processes the messages.
 */
const RedriveResponseSchema = z.object({ redriven: z.number() });

const main = async () => {
  const { values } = parseArgs({
    options: { 'data-dir': { type: 'string', default: process.env.DATA_DIR ?? DEFAULT_DATA_DIR } },
  });
  const dataDir = values['data-dir'];
  const running = findRunningStack(dataDir);
  if (running) {
    const res = await fetch(`${running.apiUrl}/_local/redrive`, { method: 'POST' });
    const { redriven } = RedriveResponseSchema.parse(await res.json());
    console.log(`Moved ${redriven} message(s) from the DLQ back to the queue of the running stack.`);
    return;
  }
  const queue = new LocalQueue({
    dataDir: dataPaths(dataDir).root,
    visibilityTimeoutMs: 0,
    maxReceiveCount: 1,
  });
  const redriven = queue.redrive();
  queue.flush();
  console.log(
    `Moved ${redriven} message(s) from the DLQ back to the queue; \`npm start\` will process them.`,
  );
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
