import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalQueue } from '../../infra/local/queue';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'queue-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const first = <T>(items: readonly T[]): T => {
  const [item] = items;
  if (item === undefined) throw new Error('expected at least one item');
  return item;
};

const makeQueue = (now: { t: number }, dataDir: string | null = null) =>
  new LocalQueue({ dataDir, visibilityTimeoutMs: 1000, maxReceiveCount: 2, now: () => now.t });

describe('LocalQueue', () => {
  it('hides a received message for the visibility timeout and counts receives', () => {
    const clock = { t: 0 };
    const queue = makeQueue(clock);
    queue.send('one');
    const initial = first(queue.receive(10));
    expect(initial.message).toMatchObject({ body: 'one', receiveCount: 1 });
    expect(queue.receive(10)).toEqual([]);
    expect(queue.nextVisibleInMs()).toBe(1000);
    queue.fail(initial.receiptHandle, 'boom');
    clock.t = 1000;
    const [second] = queue.receive(10);
    expect(second?.message).toMatchObject({ receiveCount: 2, lastError: 'boom' });
    expect(second?.receiptHandle).not.toBe(initial.receiptHandle);
  });

  it('keeps a message hidden while its invocation may run, and retries a failure after the visibility timeout', () => {
    const clock = { t: 0 };
    const queue = new LocalQueue({
      dataDir: null,
      visibilityTimeoutMs: 1000,
      inFlightMs: 60_000,
      maxReceiveCount: 3,
      now: () => clock.t,
    });
    queue.send('slow');
    const running = first(queue.receive(10));
    // A slow invocation (longer than the retry delay) is not raced by a second one with the same message.
    clock.t = 30_000;
    expect(queue.receive(10)).toEqual([]);
    queue.fail(running.receiptHandle, 'boom');
    clock.t = 30_999;
    expect(queue.receive(10)).toEqual([]);
    clock.t = 31_000;
    expect(first(queue.receive(10)).message).toMatchObject({ body: 'slow', receiveCount: 2 });
  });

  it('removes a deleted message for good', () => {
    const clock = { t: 0 };
    const queue = makeQueue(clock);
    queue.send('one');
    queue.delete(first(queue.receive(1)).receiptHandle);
    clock.t = 5000;
    expect(queue.receive(10)).toEqual([]);
    expect(queue.size).toBe(0);
    expect(queue.nextVisibleInMs()).toBeNull();
  });

  it('parks a message in the DLQ once it has been received maxReceiveCount times, and redrives it', () => {
    const clock = { t: 0 };
    const queue = makeQueue(clock);
    const parked: string[] = [];
    queue.on('dead-letter', (letter) => parked.push(letter.body));
    queue.send('poison');
    for (let i = 0; i < 2; i++) {
      queue.fail(first(queue.receive(1)).receiptHandle, `failure ${i}`);
      clock.t += 1000;
    }
    expect(queue.receive(1)).toEqual([]);
    expect(parked).toEqual(['poison']);
    expect(queue.deadLetters()).toMatchObject([{ body: 'poison', receiveCount: 2, lastError: 'failure 1' }]);
    expect(queue.size).toBe(0);

    expect(queue.redrive()).toBe(1);
    expect(queue.deadLetters()).toEqual([]);
    expect(queue.receive(1)[0]?.message).toMatchObject({ body: 'poison', receiveCount: 1 });
  });

  it('returns at most the requested number, oldest first', () => {
    const queue = makeQueue({ t: 0 });
    for (const body of ['a', 'b', 'c']) queue.send(body);
    expect(queue.receive(2).map((r) => r.message.body)).toEqual(['a', 'b']);
    expect(queue.receive(2).map((r) => r.message.body)).toEqual(['c']);
  });

  it('persists waiting and in-flight messages across a restart; in-flight ones become visible again', () => {
    const dir = tempDir();
    const clock = { t: 0 };
    const queue = makeQueue(clock, dir);
    queue.send('waiting');
    queue.send('second');
    queue.send('dead');
    queue.receive(1); // takes the oldest, "waiting", into flight
    queue.flush();
    expect(JSON.parse(readFileSync(join(dir, 'queue.json'), 'utf8')).messages).toHaveLength(3);

    const reopened = makeQueue(clock, dir);
    expect(reopened.receive(10).map((r) => r.message.body)).toEqual(['waiting', 'second', 'dead']);
  });

  it('persists the DLQ so a later run can redrive it', () => {
    const dir = tempDir();
    const clock = { t: 0 };
    const queue = makeQueue(clock, dir);
    queue.send('poison');
    for (let i = 0; i < 3; i++) {
      for (const r of queue.receive(1)) queue.fail(r.receiptHandle, 'nope');
      clock.t += 1000;
    }
    queue.flush();
    const reopened = makeQueue(clock, dir);
    expect(reopened.deadLetters().map((d) => d.body)).toEqual(['poison']);
    expect(reopened.redrive()).toBe(1);
    reopened.flush();
    expect(makeQueue(clock, dir).receive(1)[0]?.message.body).toBe('poison');
  });
});
