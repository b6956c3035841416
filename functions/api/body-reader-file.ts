/**
 * The API's S3 body reader (./body-reader.ts) is built as a file of its own beside the Lambda bundle, and the
 * handler imports it only when an article's body is stored in the body bucket: the S3 client is ~165 KiB that the
 * cold start of every other request would otherwise load (tests/bench/cold-start.ts). Named here, apart from both,
 * so the stack's bundling step and the handler agree on the file without loading either.
 */
export const BODY_READER_ENTRY = 'functions/api/body-reader.ts';
export const BODY_READER_FILE = 'body-reader.mjs';
