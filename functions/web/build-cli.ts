import { writePageFiles } from './build';

/** `node --import tsx functions/web/build-cli.ts <dir>`: the API function's bundling step runs this. */
const dir = process.argv[2];
if (!dir) {
  console.error('usage: build-cli.ts <output folder>');
  process.exit(2);
}
await writePageFiles(dir);
