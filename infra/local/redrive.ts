import { existsSync } from 'node:fs';
import { z } from 'zod';
import { runCommand } from './cli';
import { dataPaths, findRunningStack } from './data-dir';
import { DATA_DIR_OPTION } from './options';
import { LocalQueue } from './queue';
import { callStack, dataDirArg } from './stack-finder';

/**
 * `npm run redrive`: moves the local DLQ's messages back to the queue. With the stack running it asks the stack
 * (POST /_local/redrive), which owns the queue; otherwise it edits the queue files and the next start
 * processes the messages. A folder holding no stack data is left alone.
 */
const RedriveResponseSchema = z.object({ redriven: z.number() });

runCommand(
  {
    name: 'npm run redrive',
    description:
      'Moves the messages parked in the local DLQ back to the ingest queue: through the stack running on the\ndata folder, or, with none running, in its queue files for the next `npm start`.',
    options: { 'data-dir': DATA_DIR_OPTION },
    examples: ['npm run redrive', 'npm run redrive -- --data-dir ./other-data'],
  },
  async ({ values }) => {
    const dataDir = values['data-dir'];
    const running = findRunningStack(dataDir);
    if (running) {
      const res = await callStack(dataDir, running, '/_local/redrive', { method: 'POST' });
      const { redriven } = RedriveResponseSchema.parse(await res.json());
      console.log(
        `Moved ${redriven} message(s) from the DLQ back to the queue of the running stack (${running.apiUrl}).`,
      );
      return 0;
    }
    const paths = dataPaths(dataDir);
    if (!existsSync(paths.dlq) && !existsSync(paths.dynamodb)) {
      console.error(
        `No local stack data in ${paths.root}, so nothing to redrive (nothing was created); is this the --data-dir the stack was started with?`,
      );
      return 1;
    }
    const queue = new LocalQueue({ dataDir: paths.root, visibilityTimeoutMs: 0, maxReceiveCount: 1 });
    const redriven = queue.redrive();
    queue.flush();
    console.log(
      `No stack is running on ${paths.root}: moved ${redriven} message(s) from the DLQ back to its queue; \`npm start${dataDirArg(dataDir) ? ` --${dataDirArg(dataDir)}` : ''}\` will process them.`,
    );
    return 0;
  },
);
