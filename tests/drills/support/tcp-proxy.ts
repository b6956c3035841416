import { connect, createServer, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of DynamoDB Local, for outages the SDK sees on the wire: `reset` closes every
 * connection as it arrives (the SDK retries, then the record fails), `blackhole` accepts connections and never
 * answers (a hung dependency: only a timeout gets the caller out). `up` forwards bytes.
 */
export type ProxyMode = 'up' | 'reset' | 'blackhole';

export const startTcpProxy = async (target: { host: string; port: number }) => {
  let mode: ProxyMode = 'up';
  const held = new Set<Socket>();
  const open = new Set<Socket>();
  const stats = { connections: 0, reset: 0, held: 0 };
  const server = createServer((client) => {
    stats.connections += 1;
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => {});
    if (mode === 'reset') {
      stats.reset += 1;
      client.resetAndDestroy();
      return;
    }
    if (mode === 'blackhole') {
      stats.held += 1;
      held.add(client);
      client.resume();
      return;
    }
    const upstream = connect(target.port, target.host);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    setMode(next: ProxyMode) {
      mode = next;
      // Existing keep-alive connections would otherwise bypass the outage.
      for (const socket of open) socket.destroy();
      if (next !== 'blackhole') for (const socket of held) socket.destroy();
      if (next !== 'blackhole') held.clear();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
};
