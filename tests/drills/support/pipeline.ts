import { Metrics } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { type IngestHandler, makeIngestHandler } from '../../../functions/ingest/ingest';
import { METRICS_NAMESPACE } from '../../../functions/shared/observability';
import { makeRecordWriter } from '../../../functions/store/record-writer';
import { LOCAL_AWS } from '../../../infra/local/dynamodb-local';
import { startStreamConsumers } from '../../../infra/local/stream-consumers';
import type { LocalServices } from '../../support/local-services';
import { quietObservability } from '../../support/quiet-observability';
import { eTagOf } from '../../support/s3-objects';
import { lambdaContext, sqsEvent } from '../../support/sqs-events';
import { streamHandler } from '../../support/store-pipeline';

/**
 * The ingest handler over DynamoDB Local and s3rver, as one Lambda instance sees them, the derive and count
 * consumers on the table's stream, plus the S3 operations and a tiny SQS stand-in (a failed record is delivered
 * again until it succeeds or hits the receive limit).
 */
export interface Pipeline {
  bucket: string;
  tableName: string;
  /** A fresh Lambda instance: its own handler, writer and DynamoDB client (for fault middleware). */
  newInstance(): { handler: IngestHandler; dynamo: DynamoDBClient };
  /** Uploads and returns the object's eTag (what its notification carries). */
  put(key: string, body: Uint8Array | string): Promise<string>;
  remove(key: string): Promise<void>;
  /** The object's current bytes, or null. */
  current(key: string): Promise<Uint8Array | null>;
  /** Every item, once the stream consumers have read the table's stream to its end. */
  scan(): Promise<Array<Record<string, unknown>>>;
  destroy(): Promise<void>;
}

export const makePipeline = async (services: LocalServices): Promise<Pipeline> => {
  const s3 = services.s3;
  if (!s3) throw new Error('the drills need s3rver');
  const tableName = await services.newTable();
  const clients: DynamoDBClient[] = [];
  // Powertools warns on every invocation that records no metric (all-duplicate batches): noise in a drill.
  const quiet = { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const observability = {
    ...quietObservability(),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'drill', logger: quiet }),
  };
  // The table's stream consumers, as on AWS: everything but the record is derived by them, not by the ingest.
  const consumer = await startStreamConsumers({
    dynamodb: services.dynamo.client,
    endpoint: services.dynamo.endpoint,
    tableName,
    handler: streamHandler({ client: services.dynamo.client, tableName }),
  });
  return {
    bucket: services.bucket,
    tableName,
    newInstance() {
      const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: services.dynamo.endpoint });
      clients.push(dynamo);
      const handler = makeIngestHandler({
        s3: s3.client,
        store: makeRecordWriter({ client: dynamo, tableName }),
        observability,
      });
      return { handler, dynamo };
    },
    async put(key, body) {
      await s3.client.send(new PutObjectCommand({ Bucket: services.bucket, Key: key, Body: body }));
      return eTagOf(typeof body === 'string' ? Buffer.from(body) : body);
    },
    async remove(key) {
      await s3.client.send(new DeleteObjectCommand({ Bucket: services.bucket, Key: key }));
    },
    async current(key) {
      try {
        const out = await s3.client.send(new GetObjectCommand({ Bucket: services.bucket, Key: key }));
        return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
      } catch (error) {
        if (error instanceof Error && error.name === 'NoSuchKey') return null;
        throw error;
      }
    },
    async scan() {
      await consumer.caughtUp(120_000);
      return services.scanAll(tableName);
    },
    async destroy() {
      await consumer.stop();
      for (const client of clients) client.destroy();
    },
  };
};

export interface DeliveryStats {
  invocations: number;
  records: number;
  failures: number;
  deadLetters: SQSRecord[];
}

/**
 * Delivers records in batches like an SQS event source mapping with `concurrency` pollers: failed records go
 * back to the end of the queue, and a record failing `maxReceives` times is dead-lettered.
 */
export const deliver = async (
  records: SQSRecord[],
  handlers: IngestHandler[],
  options: { batchSize: number; maxReceives: number; onBatch?: (n: number) => void },
): Promise<DeliveryStats> => {
  const queue = records.map((record) => ({ record, receives: 0 }));
  const stats: DeliveryStats = { invocations: 0, records: 0, failures: 0, deadLetters: [] };
  const worker = async (handler: IngestHandler) => {
    while (queue.length > 0) {
      const batch = queue.splice(0, options.batchSize);
      for (const m of batch) m.receives += 1;
      stats.invocations += 1;
      stats.records += batch.length;
      options.onBatch?.(stats.invocations);
      let failed: Set<string>;
      try {
        const response: SQSBatchResponse = await handler(
          sqsEvent(...batch.map((m) => m.record)),
          lambdaContext(),
        );
        failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
      } catch {
        failed = new Set(batch.map((m) => m.record.messageId));
      }
      for (const m of batch) {
        if (!failed.has(m.record.messageId)) continue;
        stats.failures += 1;
        if (m.receives >= options.maxReceives) stats.deadLetters.push(m.record);
        else queue.push(m);
      }
    }
  };
  await Promise.all(handlers.map(worker));
  return stats;
};
