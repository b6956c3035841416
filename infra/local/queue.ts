import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from './json-file';
import {
  type DeadLetter,
  DLQ_FILE,
  DlqFileSchema,
  QUEUE_FILE,
  QueueFileSchema,
  type QueueMessage,
} from './queue-message';

export interface LocalQueueOptions {
  /** Folder holding queue.json and dlq.json; null keeps everything in memory. */
  dataDir: string | null;
  /** How long a failed message stays hidden before it can be received again (the retry delay). */
  visibilityTimeoutMs: number;
  /**
   * How long a received message stays hidden while its invocation may still be running (the function timeout):
   * as on AWS, where the visibility timeout is longer than the function's, a message is never handed to a second
   * invocation while the first still runs. Defaults to `visibilityTimeoutMs`.
   */
  inFlightMs?: number;
  /** Receives after which a failing message moves to the DLQ, like a redrive policy's maxReceiveCount. */
  maxReceiveCount: number;
  now?: () => number;
}

export interface Received {
  message: QueueMessage;
  receiptHandle: string;
}

/**
 * An SQS standard queue with a redrive policy, in memory and persisted to the data folder, so events that were
 * sent but not yet processed survive a restart (messages in flight at a crash become visible again on load,
 * as they would after their visibility timeout).
 */
export class LocalQueue extends EventEmitter<{ message: []; 'dead-letter': [DeadLetter] }> {
  private readonly messages = new Map<string, QueueMessage>();
  private readonly receipts = new Map<string, string>();
  private dlq: DeadLetter[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(private readonly options: LocalQueueOptions) {
    super();
    this.now = options.now ?? Date.now;
    if (options.dataDir) {
      const stored = readJsonFile(join(options.dataDir, QUEUE_FILE), QueueFileSchema, { messages: [] });
      for (const message of stored.messages)
        this.messages.set(message.messageId, { ...message, visibleAt: 0 });
      this.dlq = readJsonFile(join(options.dataDir, DLQ_FILE), DlqFileSchema, { messages: [] }).messages;
    }
  }

  send(body: string): string {
    const messageId = randomUUID();
    this.messages.set(messageId, {
      messageId,
      body,
      sentTimestamp: this.now(),
      receiveCount: 0,
      firstReceiveTimestamp: null,
      visibleAt: 0,
      lastError: null,
    });
    this.changed();
    this.emit('message');
    return messageId;
  }

  /** Up to `max` visible messages, oldest first; each is hidden while in flight (`inFlightMs`). */
  receive(max: number): Received[] {
    const now = this.now();
    const out: Received[] = [];
    for (const message of this.messages.values()) {
      if (out.length >= max) break;
      if (message.visibleAt > now) continue;
      if (message.receiveCount >= this.options.maxReceiveCount) {
        this.deadLetter(message);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
      message.visibleAt = now + (this.options.inFlightMs ?? this.options.visibilityTimeoutMs);
      const receiptHandle = randomUUID();
      this.receipts.set(receiptHandle, message.messageId);
      out.push({ message: { ...message }, receiptHandle });
    }
    if (out.length > 0) this.changed();
    return out;
  }

  delete(receiptHandle: string): void {
    const id = this.receipts.get(receiptHandle);
    this.receipts.delete(receiptHandle);
    if (id && this.messages.delete(id)) this.changed();
  }

  /** Makes a failed message visible again after the retry delay and records why it failed. */
  fail(receiptHandle: string, error: string): void {
    const id = this.receipts.get(receiptHandle);
    this.receipts.delete(receiptHandle);
    const message = id ? this.messages.get(id) : undefined;
    if (!message) return;
    message.lastError = error;
    message.visibleAt = this.now() + this.options.visibilityTimeoutMs;
    this.changed();
  }

  /** Milliseconds until the next message becomes visible (0 if one is now), or null when the queue is empty. */
  nextVisibleInMs(): number | null {
    let next: number | null = null;
    for (const message of this.messages.values()) next = Math.min(next ?? Infinity, message.visibleAt);
    return next === null ? null : Math.max(0, next - this.now());
  }

  get size(): number {
    return this.messages.size;
  }

  /** Copies of the messages waiting or in flight. */
  messagesSnapshot(): QueueMessage[] {
    return [...this.messages.values()].map((m) => ({ ...m }));
  }

  deadLetters(): readonly DeadLetter[] {
    return this.dlq;
  }

  /** Moves every DLQ message back to the queue with a fresh receive count; returns how many moved. */
  redrive(): number {
    const moved = this.dlq.length;
    for (const { deadLetteredAt: _, ...message } of this.dlq)
      this.messages.set(message.messageId, { ...message, receiveCount: 0, visibleAt: 0 });
    this.dlq = [];
    if (moved > 0) {
      this.changed();
      this.emit('message');
    }
    return moved;
  }

  /** Writes pending changes now (on shutdown). */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (!this.options.dataDir) return;
    writeJsonFile(join(this.options.dataDir, QUEUE_FILE), { messages: [...this.messages.values()] });
    writeJsonFile(join(this.options.dataDir, DLQ_FILE), { messages: this.dlq });
  }

  private deadLetter(message: QueueMessage): void {
    this.messages.delete(message.messageId);
    const letter = { ...message, deadLetteredAt: new Date(this.now()).toISOString() };
    this.dlq.push(letter);
    this.changed();
    this.emit('dead-letter', letter);
  }

  /** Coalesces writes: a burst of uploads rewrites the file once per 50 ms rather than once per message. */
  private changed(): void {
    if (!this.options.dataDir || this.flushTimer) return;
    this.flushTimer = setTimeout(() => this.flush(), 50);
    this.flushTimer.unref();
  }
}
