import { SingleBar } from 'cli-progress';
import { NumberSchema, PositiveIntSchema, runCommand } from './cli';
import { findRunningStack } from './data-dir';
import { collectUploads } from './files';
import { DATA_DIR_OPTION } from './options';
import { callStack, noStackMessage } from './stack-finder';
import { keyWithPrefix, uploadFiles } from './upload-files';
import { summaryLines, type UploadSummary, waitForOutcomes } from './upload-outcomes';
import { failureHint, resolveUploadTarget } from './upload-target';

/**
 * `npm run upload`: puts files into the bucket with a progress bar, waits for each one's outcome (local stack),
 * and says what happened to every input. Exit 1 when anything failed or was rejected (--allow-rejected accepts
 * rejections), or had no outcome in time.
 */
const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;

const newBar = (format: string) => new SingleBar({ format, hideCursor: true });

runCommand(
  {
    name: 'npm run upload',
    args: { placeholder: '<files or folders>', min: 1 },
    description:
      'Uploads files (folders: every file in them, hidden and empty files skipped) to the local stack, found through\n' +
      "its data folder, then waits for each file's outcome and prints what happened to every input. Exit code 1 when\n" +
      'a file failed, was rejected by the pipeline, or had no outcome in time.',
    options: {
      'data-dir': DATA_DIR_OPTION,
      prefix: { type: 'string', placeholder: '<p>', default: '', help: 'put every key under <p>/' },
      'no-wait': {
        type: 'boolean',
        help: "do not wait for the outcomes (only the upload's own failures count)",
      },
      'allow-rejected': { type: 'boolean', help: 'exit 0 even when the pipeline rejected files' },
      timeout: {
        type: 'string',
        placeholder: '<s>',
        default: '120',
        schema: NumberSchema,
        help: 'how long to wait for the outcomes, in seconds',
      },
      concurrency: {
        type: 'string',
        placeholder: '<n>',
        default: '4',
        schema: PositiveIntSchema,
        help: 'uploads in flight at once',
      },
      endpoint: {
        type: 'string',
        placeholder: '<url>',
        help: 'another S3-compatible endpoint (path-style), reached with the standard AWS credential chain; no waiting',
      },
      bucket: {
        type: 'string',
        placeholder: '<name>',
        help: 'the bucket; without --endpoint a deployed bucket (AWS credential chain, AWS_REGION); no waiting',
      },
    },
    examples: [
      'npm run upload -- ./my-articles --prefix batch1',
      'npm run upload -- ./my-articles --data-dir ./other-data --allow-rejected',
      'npm run upload -- ./my-articles --bucket my-deployed-bucket',
    ],
  },
  async ({ values, args }) => {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const dataDir = values['data-dir'];
    const running = findRunningStack(dataDir);
    // Without another target, the local stack must be running: say where we looked, not ECONNREFUSED.
    if (!running && values.endpoint === undefined && values.bucket === undefined) {
      console.error(noStackMessage(dataDir));
      return 1;
    }
    const target = resolveUploadTarget({ bucket: values.bucket, endpoint: values.endpoint, running });
    const { bucket, client } = target;
    const missing = args.find((a) => {
      try {
        collectUploads([a]);
        return false;
      } catch {
        return true;
      }
    });
    if (missing !== undefined) {
      console.error(`Cannot read ${missing}: no such file or folder.`);
      return 1;
    }
    const { files, skipped } = collectUploads(args);
    const total = files.reduce((sum, f) => sum + f.size, 0);
    console.log(
      `Uploading ${files.length} file(s), ${formatBytes(total)}, to s3://${bucket}/${values.prefix}${target.endpoint ? ` at ${target.endpoint}` : ''}` +
        (target.local ? ` (the local stack of ${running?.apiUrl ?? dataDir})` : ''),
    );

    const since = Date.now();
    const bar = newBar(
      ' {bar} {percentage}% | {value}/{total} files | {failed} failed | {eta_formatted} left',
    );
    bar.start(files.length, 0, { failed: 0 });
    let failedCount = 0;
    const result = await uploadFiles({
      client,
      bucket,
      files,
      prefix: values.prefix,
      concurrency: values.concurrency,
      localLimits: target.local,
      onFileDone: (_file, error) => {
        if (error) failedCount += 1;
        bar.increment(1, { failed: failedCount });
      },
    });
    bar.stop();
    client.destroy();
    const seconds = result.ms / 1000;
    console.log(
      `Uploaded ${result.uploaded} of ${files.length}, ${formatBytes(result.bytes)} in ${seconds.toFixed(1)} s` +
        (seconds > 0 ? ` (${(result.uploaded / seconds).toFixed(1)} files/s)` : ''),
    );

    const failedKeys = new Set(result.failed.map((f) => f.key));
    const uploadedKeys = files
      .map((f) => keyWithPrefix(values.prefix, f.key))
      .filter((k) => !failedKeys.has(k));
    const summary: UploadSummary = {
      ingested: [],
      rejected: [],
      other: [],
      skipped,
      failed: result.failed,
      uploaded: result.uploaded,
      waited: false,
    };
    if (running && target.local && !values['no-wait'] && uploadedKeys.length > 0) {
      const waitBar = newBar(' {bar} {value}/{total} outcomes | {rejected} rejected | waiting up to {limit}');
      let rejected = 0;
      waitBar.start(uploadedKeys.length, 0, { rejected, limit: `${values.timeout} s` });
      const { outcomes, missing: noOutcome } = await waitForOutcomes({
        call: (path, init) => callStack(dataDir, running, path, init),
        keys: uploadedKeys,
        since,
        timeoutMs: values.timeout * 1000,
        onOutcome: (o) => {
          if (o.status === 'rejected') rejected += 1;
          waitBar.increment(1, { rejected });
        },
      });
      waitBar.stop();
      summary.waited = true;
      for (const outcome of outcomes.values()) {
        if (outcome.status === 'ingested') summary.ingested.push(outcome.key);
        else if (outcome.status === 'rejected') summary.rejected.push(outcome);
        else summary.other.push({ key: outcome.key, why: 'deleted before it was processed' });
      }
      for (const key of noOutcome)
        summary.other.push({
          key,
          why: `no outcome after ${values.timeout} s (see npm run redrive, /_local/dlq)`,
        });
    }
    console.log('Summary:');
    for (const line of summaryLines(summary)) console.log(line);
    if (running && target.local)
      console.log(
        `Outcomes: curl -s ${running.apiUrl}/uploads/<key>   (articles: ${running.apiUrl}/articles)`,
      );
    const hint = failureHint(target, result);
    if (hint) console.log(hint);
    if (summary.rejected.length > 0 && !values['allow-rejected'])
      console.log('Rejected files make the exit code 1; --allow-rejected accepts them.');
    const bad =
      summary.failed.length > 0 ||
      summary.other.length > 0 ||
      (summary.rejected.length > 0 && !values['allow-rejected']);
    return bad ? 1 : 0;
  },
);
