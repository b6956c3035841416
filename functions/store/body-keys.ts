/**
 * Keys of the objects in the body bucket (./article-body.ts), apart from the S3 client so the stack's grants can
 * name the prefix without loading the SDK into every synth.
 */
export const BODY_PREFIX = 'bodies/';

export const bodyKeyFor = (id: string, sequencer: string): string =>
  `${BODY_PREFIX}${id}/${sequencer}.json.gz`;
