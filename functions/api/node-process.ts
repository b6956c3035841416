/**
 * Stands in for `node:process` in the API's Lambda bundle (see API_BUNDLE_ALIASES in
 * infra/constructs/lookup-api.ts). In an ES module, `import { env } from 'node:process'` makes Node build the
 * module namespace from every property of `process`, which runs the lazy getters behind process.stdin, stdout and
 * stderr and opens those streams: ~3 ms of each cold start (tests/bench/cold-start.ts) for two SDK imports that
 * only want `env` and `versions`. These are the same objects, read from the global. An import of a name not
 * listed here fails the bundling, so a new use cannot slip through as undefined.
 */
export const { env, versions } = process;

export default process;
