import autocannon from 'autocannon';
import { z } from 'zod';

/**
 * The load generator, run as its own process (tests/bench/load.ts spawns it) so it never shares an event loop
 * with the servers it measures. Argument: JSON {url, paths, connections, durationS}; each request takes the
 * next path in turn. Prints one JSON line with requests/s and latency percentiles.
 */
const ArgsSchema = z.object({
  url: z.string().url(),
  paths: z.array(z.string()).min(1),
  connections: z.number().int().positive(),
  durationS: z.number().positive(),
});

const args = ArgsSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
let next = 0;
const result = await autocannon({
  url: args.url,
  connections: args.connections,
  duration: args.durationS,
  requests: [
    {
      method: 'GET',
      setupRequest: (request) => ({ ...request, path: args.paths[next++ % args.paths.length] ?? '/' }),
    },
  ],
});
process.stdout.write(
  `${JSON.stringify({
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  })}\n`,
);
