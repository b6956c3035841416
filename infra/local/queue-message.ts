import { z } from 'zod';

/** A message as the local queue keeps (and persists) it. */
export const QueueMessageSchema = z.object({
  messageId: z.string(),
  body: z.string(),
  sentTimestamp: z.number(),
  receiveCount: z.number().int().nonnegative(),
  firstReceiveTimestamp: z.number().nullable(),
  /** Epoch ms at which the message may be received again. */
  visibleAt: z.number(),
  /** Why the last delivery failed, kept so the DLQ explains itself. */
  lastError: z.string().nullable(),
});
export type QueueMessage = z.infer<typeof QueueMessageSchema>;

export const DeadLetterSchema = QueueMessageSchema.extend({ deadLetteredAt: z.string() });
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

export const QueueFileSchema = z.object({ messages: z.array(QueueMessageSchema) });
export const DlqFileSchema = z.object({ messages: z.array(DeadLetterSchema) });

export const QUEUE_FILE = 'queue.json';
export const DLQ_FILE = 'dlq.json';
