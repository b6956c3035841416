import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { findRunningStack } from './data-dir';
import { collectFiles } from './files';
import { DEFAULT_DATA_DIR } from './options';
import { uploadFiles } from './upload-files';
import { failureHint, resolveUploadTarget } from './upload-target';

const USAGE = `Usage: npm run upload -- <files or folders> [--bucket B] [--endpoint URL] [--prefix P] [--data-dir D]
  Without --bucket and --endpoint: the local stack (\`npm start\`), found through its data folder.
  --endpoint URL        an S3-compatible endpoint (path-style). The local stack's own endpoint uses its
                        credentials (S3RVER/S3RVER); any other uses the standard AWS credential chain
  --bucket B            the bucket; without --endpoint this is a deployed bucket, reached with the standard
                        AWS credential chain (AWS_PROFILE, environment, SSO...) and AWS_REGION
  --prefix P            put every key under P/
  --data-dir D          the local stack's data folder (default ${DEFAULT_DATA_DIR})`;

const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;

const main = async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      bucket: { type: 'string' },
      endpoint: { type: 'string' },
      prefix: { type: 'string', default: '' },
      'data-dir': { type: 'string', default: process.env.DATA_DIR ?? DEFAULT_DATA_DIR },
      concurrency: { type: 'string', default: '4' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 1);
  }

  const running = findRunningStack(values['data-dir']);
  const target = resolveUploadTarget({ bucket: values.bucket, endpoint: values.endpoint, running });
  const { bucket, client } = target;
  const files = collectFiles(positionals);
  const total = files.reduce((sum, f) => sum + f.size, 0);
  console.log(
    `Uploading ${files.length} file(s), ${formatBytes(total)}, to s3://${bucket}/${values.prefix}${target.endpoint ? ` at ${target.endpoint}` : ''}`,
  );

  const bar = new SingleBar({
    format: ' {bar} {percentage}% | {value}/{total} files | {failed} failed | {eta_formatted} left',
    hideCursor: true,
  });
  bar.start(files.length, 0, { failed: 0 });
  let failed = 0;
  const result = await uploadFiles({
    client,
    bucket,
    files,
    prefix: values.prefix,
    concurrency: Number(values.concurrency) || 4,
    localLimits: target.local,
    onFileDone: (_file, error) => {
      if (error) failed += 1;
      bar.increment(1, { failed });
    },
  });
  bar.stop();
  client.destroy();

  const seconds = result.ms / 1000;
  console.log(
    `Uploaded ${result.uploaded}, failed ${result.failed.length}, ${formatBytes(result.bytes)} in ${seconds.toFixed(1)} s` +
      (seconds > 0 ? ` (${(result.uploaded / seconds).toFixed(1)} files/s)` : ''),
  );
  for (const { key, error } of result.failed.slice(0, 10)) console.log(`  failed: ${key}: ${error}`);
  if (result.failed.length > 10) console.log(`  ... and ${result.failed.length - 10} more`);
  if (running && target.local && result.uploaded > 0)
    console.log(`Outcomes: curl -s ${running.apiUrl}/uploads/<key>   (articles: ${running.apiUrl}/articles)`);
  const hint = failureHint(target, result);
  if (hint) console.log(hint);
  process.exit(result.failed.length > 0 ? 1 : 0);
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
