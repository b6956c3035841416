import * as z from 'zod';

/**
 * S3 sequencers order the events of one key. The S3 User Guide (event message structure): "to determine the order
 * of events ... compare the sequencer values as strings; if they differ in length, right-pad the shorter one with
 * zeros". Real ones are 16 to 20 hex digits. Stored right-padded to one width and in upper case, so DynamoDB's
 * string `<` in a condition expression compares them as AWS documents.
 */
export const SEQUENCER_WIDTH = 32;

export const SequencerSchema = z
  .string()
  .regex(/^[0-9A-Fa-f]{1,32}$/, 'an S3 sequencer is 1 to 32 hex digits')
  .transform((raw) => raw.toUpperCase().padEnd(SEQUENCER_WIDTH, '0'));

/** Padding is idempotent, so callers may pass S3's raw sequencer or an already padded one. */
export const padSequencer = (raw: string): string => {
  const parsed = SequencerSchema.safeParse(raw);
  if (!parsed.success) throw new TypeError(`not an S3 sequencer: ${raw}`);
  return parsed.data;
};

/** Below every real sequencer: what a reprocess of a key with no record writes under. */
export const SEQUENCER_FLOOR = '0'.repeat(SEQUENCER_WIDTH);
