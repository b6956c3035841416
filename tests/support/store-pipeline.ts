import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Article } from '../../functions/core/article';
import { makeCountHandler } from '../../functions/count/count';
import { makeDeriveHandler } from '../../functions/derive/derive';
import type { BodyReader, BodyStore } from '../../functions/store/article-body';
import { makeCountWriter } from '../../functions/store/count-writer';
import { derive } from '../../functions/store/derive';
import { makeDeriveWriter } from '../../functions/store/derive-writer';
import type { RecordRequest } from '../../functions/store/record';
import { makeRecordWriter, type RecordWriter } from '../../functions/store/record-writer';
import { padSequencer } from '../../functions/store/sequencer';
import { streamHandlers } from '../../infra/local/handler-types';
import { type StreamConsumers, startStreamConsumers } from '../../infra/local/stream-consumers';
import type { StreamHandler } from '../../infra/local/stream-poller';
import { quietObservability } from './quiet-observability';

/** The derive and count consumers as the local stack runs them (one stream reader, both handlers). */
export const streamHandler = (deps: {
  client: DynamoDBClient;
  tableName: string;
  bodies?: BodyReader;
}): StreamHandler =>
  streamHandlers({
    derive: makeDeriveHandler({
      writer: makeDeriveWriter(deps),
      observability: quietObservability(),
    }),
    count: makeCountHandler({
      writer: makeCountWriter({ client: deps.client, tableName: deps.tableName }),
      observability: quietObservability(),
    }),
  });

/**
 * The whole store against DynamoDB Local: the ingest's record writer, and the real stream consumers reading the
 * table's stream. `write` waits until the consumers caught up, as a quiet pipeline is; `writer` does not.
 */
export const startStorePipeline = async (deps: {
  client: DynamoDBClient;
  tableName: string;
  endpoint: string;
  bodies?: BodyStore;
}): Promise<{
  writer: RecordWriter;
  write: RecordWriter['write'];
  consumers: StreamConsumers;
  caughtUp(): Promise<void>;
  stop(): Promise<void>;
}> => {
  const writer = makeRecordWriter(deps);
  const consumers = await startStreamConsumers({
    dynamodb: deps.client,
    endpoint: deps.endpoint,
    tableName: deps.tableName,
    handler: streamHandler(deps),
    tuning: { idlePollMs: 10 },
  });
  return {
    writer,
    consumers,
    async write(request) {
      const result = await writer.write(request);
      await consumers.caughtUp();
      return result;
    },
    caughtUp: () => consumers.caughtUp(),
    stop: () => consumers.stop(),
  };
};

let counter = 0;
/** Increasing sequencers of one width (16 hex digits, as real ones are). */
export const nextSequencer = (): string => (++counter).toString(16).toUpperCase().padStart(16, '0');

export const ingestRequest = (
  article: Article,
  sequencer = nextSequencer(),
  extra: Partial<RecordRequest> = {},
): RecordRequest => ({
  key: article.source.key,
  sequencer: padSequencer(sequencer),
  parserVersion: article.parserVersion,
  change: { kind: 'ingested', article },
  ...(article.source.eTag ? { sourceETag: article.source.eTag } : {}),
  ...extra,
});

export const deleteRequest = (
  key: string,
  sequencer = nextSequencer(),
  parserVersion = 'test',
): RecordRequest => ({
  key,
  sequencer: padSequencer(sequencer),
  parserVersion,
  change: { kind: 'deleted' },
});

/** The keys (`pk\0sk`) a set of articles must have derived, with nothing else: what a correct table holds. */
export const expectedDerivedKeys = (articles: readonly Article[]): string[] =>
  articles.flatMap((a) => [...derive(a).entries.keys()]).sort();

/** The derived items a table holds (everything but records, APPLIED, months and counters), as `pk\0sk`. */
export const derivedKeysIn = (items: Array<Record<string, unknown>>): string[] =>
  items
    .filter(
      (i) => !String(i.pk).startsWith('ART#') && i.pk !== 'MONTH' && !String(i.pk).startsWith('ENTCAT#'),
    )
    .map((i) => `${String(i.pk)}\u0000${String(i.sk)}`)
    .sort();
