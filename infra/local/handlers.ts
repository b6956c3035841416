import { Metrics } from '@aws-lambda-powertools/metrics';
import { makeApiHandler } from '../../functions/api/app';
import { fixedCursorKeys } from '../../functions/api/cursor-keys';
import { MAX_ARTICLE_BYTES } from '../../functions/core/article';
import { normaliseArticle } from '../../functions/core/normalise';
import { makeCountHandler } from '../../functions/count/count';
import { makeDeriveHandler } from '../../functions/derive/derive';
import { makeIngestHandler } from '../../functions/ingest/ingest';
import { METRICS_NAMESPACE, makeObservability } from '../../functions/shared/observability';
import { makeS3BodyStore } from '../../functions/store/article-body';
import { makeArticleReader } from '../../functions/store/article-reader';
import { makeCountWriter } from '../../functions/store/count-writer';
import { makeDeriveWriter } from '../../functions/store/derive-writer';
import { makeRecordWriter } from '../../functions/store/record-writer';
import { makeVerifier } from '../../functions/verify/verifier';
import { type MakeHandlers, streamHandlers } from './handler-types';
import { localPage } from './page';

/**
 * Powertools Metrics warns on every invocation that records no metric (the S3 test event, say) even when metrics
 * are disabled; locally that is noise, so its diagnostics go nowhere. Everything else is the shared module's.
 */
const localObservability = (serviceName: string) => {
  const quiet = { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  return {
    ...makeObservability(serviceName),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName, logger: quiet }),
  };
};

/** The real handlers, built from the same factories the Lambda entry points use, wired to the local services. */
export const makeHandlers: MakeHandlers = (deps) => {
  const { s3, dynamodb, tableName, cursorSecret, corsAllowOrigins } = deps;
  const ingestObservability = localObservability('ingest');
  const bodies = makeS3BodyStore({ client: s3, bucket: deps.bodyBucket });
  const reader = makeArticleReader({ client: dynamodb, tableName, loadBodies: async () => bodies });
  return {
    ingest: makeIngestHandler({
      s3,
      store: makeRecordWriter({ client: dynamodb, tableName, bodies }),
      normalise: normaliseArticle,
      observability: ingestObservability,
    }),
    // Locally the verifier runs once the stack is quiet (POST /_local/verify waits for it), so nothing is in
    // flight and every record can be judged at once.
    verifier: makeVerifier({
      client: dynamodb,
      tableName,
      s3,
      bucket: deps.bucket,
      bodyBucket: deps.bodyBucket,
      bodies,
      normalise: normaliseArticle,
      observability: localObservability('verify'),
      maxObjectBytes: MAX_ARTICLE_BYTES,
      inFlightMs: 0,
    }),
    stream: streamHandlers({
      derive: makeDeriveHandler({
        writer: makeDeriveWriter({ client: dynamodb, tableName, bodies }),
        observability: localObservability('derive'),
      }),
      count: makeCountHandler({
        writer: makeCountWriter({ client: dynamodb, tableName }),
        observability: localObservability('count'),
      }),
    }),
    api: makeApiHandler({
      reader,
      // No Secrets Manager locally: the key kept in the data directory (./data-dir.ts).
      cursorKeys: fixedCursorKeys(cursorSecret),
      corsAllowOrigins,
      observability: localObservability('api'),
      page: localPage(),
    }),
    getOutcome: (key) => reader.getUpload(key),
  };
};
