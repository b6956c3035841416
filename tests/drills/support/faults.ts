import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBServiceException } from '@aws-sdk/client-dynamodb';
import type { Context, SQSEvent } from 'aws-lambda';
import { z } from 'zod';
import type { SqsHandler } from '../../../infra/local/poller';
import type { StreamHandler } from '../../../infra/local/stream-poller';

/**
 * Fault injection for drill 3. DynamoDB faults go in as SDK middleware on the client the writer is given. The
 * fault window fails calls at the `initialize` step (outside the SDK's own retries), so the record fails and the
 * queue retries it, as a long throttling spell or an outage does once the SDK's retries are spent. A "lost
 * response" lets the request reach DynamoDB and commit, then fails that attempt on the way back, below the SDK's
 * retries, as a connection dropped after the write does on AWS: the SDK sends the conditional write again, which
 * then meets its own committed write (the record's condition fails, and the old item returned with the failure
 * carries this write's own `rev`: the writer reports it `written`; a derive consumer's batch write is simply put
 * again). Its retries spent, the record fails and the queue retries it (then a duplicate, acknowledged).
 */
export interface FaultWindow {
  /** Calls from now until `until` (ms since epoch) fail. */
  until: number;
  calls: number;
  failed: number;
  lostResponses: number;
  /** Fail every n-th write call after it committed (0: never). */
  loseEvery: number;
}

const ERRORS = [
  () =>
    new DynamoDBServiceException({
      name: 'ThrottlingException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'Rate of requests exceeds the allowed throughput.',
    }),
  () =>
    new DynamoDBServiceException({
      name: 'ServiceUnavailable',
      $fault: 'server',
      $metadata: { httpStatusCode: 503 },
      message: 'Service unavailable',
    }),
  () =>
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), {
      name: 'TimeoutError',
      code: 'ECONNREFUSED',
    }),
];

const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
  'BatchWriteCommand',
]);

export const injectDynamoFaults = (client: DynamoDBClient): FaultWindow => {
  const window: FaultWindow = { until: 0, calls: 0, failed: 0, lostResponses: 0, loseEvery: 0 };
  let writes = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      window.calls += 1;
      if (Date.now() < window.until) {
        window.failed += 1;
        throw ERRORS[window.failed % ERRORS.length]?.();
      }
      return next(args);
    },
    { step: 'initialize', name: 'drillFaults' },
  );
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      if (window.loseEvery > 0 && WRITES.has(String(context.commandName))) {
        writes += 1;
        if (writes % window.loseEvery === 0) {
          window.lostResponses += 1;
          throw ERRORS[2]?.();
        }
      }
      return out;
    },
    { step: 'deserialize', name: 'drillLostResponses' },
  );
  return window;
};

/**
 * An ingest "process" that dies part-way through some batches: the first records of the batch are applied, then
 * the invocation fails as a crash would, so the queue redelivers the whole batch, applied records included.
 */
export interface KillSwitch {
  /** Kill this many invocations (the first ones with at least two records). */
  limit: number;
  killed: number;
  seen: number;
  records: number;
}

export const killable = (handler: SqsHandler, kills: KillSwitch): SqsHandler => {
  return async (event: SQSEvent, context: Context) => {
    kills.seen += 1;
    kills.records += event.Records.length;
    if (kills.killed >= kills.limit || event.Records.length < 2) return handler(event, context);
    kills.killed += 1;
    const applied = event.Records.slice(0, Math.ceil(event.Records.length / 2));
    await handler({ Records: applied }, context);
    throw new Error('ingest process killed mid-batch (drill)');
  };
};

/**
 * The stream consumers (derive, then count) die half-way through their first `kills.limit` batches of two or more
 * records: the first half of the records is applied, then the invocation fails and the stream delivers the whole
 * batch again.
 */
export const killableStream = (handler: StreamHandler, kills: KillSwitch): StreamHandler => {
  const Batch = z.object({ Records: z.array(z.unknown()) }).loose();
  return async (event) => {
    const batch = Batch.parse(event);
    kills.seen += 1;
    kills.records += batch.Records.length;
    if (kills.killed >= kills.limit || batch.Records.length < 2) return handler(event);
    kills.killed += 1;
    await handler({ ...batch, Records: batch.Records.slice(0, Math.ceil(batch.Records.length / 2)) });
    throw new Error('stream consumers killed mid-batch (drill)');
  };
};
