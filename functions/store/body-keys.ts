/**
 * The prefix of body objects in the body bucket (./record.ts bodyKeyFor), apart from the S3 client so the stack's
 * grants can name it without loading the SDK into every synth.
 */
export const BODY_PREFIX = 'bodies/';
