import { DEFAULT_PORTS } from './options';
import { S3RVER_CREDENTIALS } from './s3-local';
import { dataDirArg } from './stack-finder';

export interface BannerStack {
  apiUrl: string;
  s3Endpoint: string;
  bucket: string;
  /** Shown in the commands when it is not the default folder. */
  dataDir: string;
}

/**
 * What `npm start` prints once everything listens: where things are, the commands that work on this stack (with
 * its `--data-dir` when not the default) and three examples. `seeds` says whether the seeds are ingested yet: the
 * first example reads one, and a 404 right after "ready" would be a lie.
 */
export const banner = (
  stack: BannerStack,
  exampleId: string | null,
  seeds: 'ingested' | 'pending' | 'none' = 'ingested',
): string => {
  const { accessKeyId, secretAccessKey } = S3RVER_CREDENTIALS;
  const dir = dataDirArg(stack.dataDir);
  const ports = [
    stack.apiUrl.endsWith(`:${DEFAULT_PORTS.api}`) ? null : `API ${stack.apiUrl}`,
    stack.s3Endpoint.endsWith(`:${DEFAULT_PORTS.s3}`) ? null : `S3 ${stack.s3Endpoint}`,
  ].filter((p) => p !== null);
  return [
    '',
    'News article pipeline running locally',
    `  Page         ${stack.apiUrl}/   (articles, entities and the API reference in a browser)`,
    `  API          ${stack.apiUrl}   (OpenAPI: ${stack.apiUrl}/openapi.json; parts: ${stack.apiUrl}/health)`,
    `  S3           ${stack.s3Endpoint}   bucket "${stack.bucket}"   credentials ${accessKeyId} / ${secretAccessKey}`,
    `  Data         ${stack.dataDir}`,
    '',
    `Commands (they find this stack through its data folder${ports.length > 0 ? `, which gives them ${ports.join(' and ')}` : ''}):`,
    `  npm run upload -- <files or folders>${dir}   # waits for each file's outcome`,
    dir ? `  npm run reprocess --${dir}` : '  npm run reprocess',
    dir ? `  npm run redrive --${dir}` : '  npm run redrive',
    `  npm run replay -- <notification.json>${dir}`,
    '',
    seeds === 'pending'
      ? 'Try (the seeds are still being ingested: the first example answers 404 until they are):'
      : 'Try:',
    `  curl -s ${stack.apiUrl}/articles/${exampleId ?? '<id>'}      # one article (ids are listed by /articles)`,
    `  curl -s '${stack.apiUrl}/articles?from=2024-11-01&to=2024-11-30'   # articles by published date, newest first`,
    // Newer AWS CLIs send aws-chunked bodies with checksums, which s3rver would store framing and all.
    `  AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey} AWS_REQUEST_CHECKSUM_CALCULATION=when_required \\`,
    `    aws s3 cp story.txt s3://${stack.bucket}/ --endpoint-url ${stack.s3Endpoint}   # then: curl -s ${stack.apiUrl}/uploads/story.txt`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
};
