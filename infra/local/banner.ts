import { S3RVER_CREDENTIALS } from './s3-local';

/** What `npm start` prints once everything listens: where things are and three commands to try. */
export const banner = (
  stack: { apiUrl: string; s3Endpoint: string; bucket: string; dataDir: string },
  exampleId: string | null,
): string => {
  const { accessKeyId, secretAccessKey } = S3RVER_CREDENTIALS;
  return [
    '',
    'News article pipeline running locally',
    `  Page         ${stack.apiUrl}/   (articles, entities and the API reference in a browser)`,
    `  API          ${stack.apiUrl}   (OpenAPI: ${stack.apiUrl}/openapi.json)`,
    `  S3           ${stack.s3Endpoint}   bucket "${stack.bucket}"   credentials ${accessKeyId} / ${secretAccessKey}`,
    `  Data         ${stack.dataDir}`,
    '',
    'Try:',
    `  curl -s ${stack.apiUrl}/articles/${exampleId ?? '<id>'}      # one article (ids are listed by /articles)`,
    `  curl -s '${stack.apiUrl}/articles?from=2024-11-01&to=2024-11-30'   # articles by published date, newest first`,
    // Newer AWS CLIs send aws-chunked bodies with checksums, which s3rver would store framing and all.
    `  AWS_ACCESS_KEY_ID=${accessKeyId} AWS_SECRET_ACCESS_KEY=${secretAccessKey} AWS_REQUEST_CHECKSUM_CALCULATION=when_required \\`,
    `    aws s3 cp story.txt s3://${stack.bucket}/ --endpoint-url ${stack.s3Endpoint}   # then: curl -s ${stack.apiUrl}/uploads/story.txt`,
    '  (or: npm run upload -- <files or folders>)',
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
};
