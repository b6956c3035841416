import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { makeObservability, type Observability } from '../shared/observability';
import { countDeltas, type StreamRecord, StreamRecordSchema, spanOf } from '../store/count-deltas';
import type { CountWriter } from '../store/count-writer';

export interface CountDeps {
  writer: Pick<CountWriter, 'apply'>;
  observability?: Observability;
}

/**
 * A DynamoDB stream batch as Lambda delivers it. The mapping uses a tumbling window, which is what puts `shardId`
 * in the event: the writer keeps its exactly-once spans per shard. (The window's `state` is not used.)
 */
const StreamEventSchema = z.object({
  Records: z.array(z.unknown()),
  shardId: z.string().min(1).optional(),
  eventSourceARN: z.string().optional(),
});

/** What a tumbling-window invocation must answer (an answer without `state` counts as a failed invocation). */
export interface CountResponse {
  state: Record<string, string>;
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

export type CountHandler = (event: unknown) => Promise<CountResponse>;

/**
 * The count consumer: entity entries created and removed (INSERT, REMOVE) become one delta per catalogue item, and
 * any failure fails the whole batch, which Lambda delivers again; the spans the writer keeps make every delivery,
 * whole, split or reordered, count each record once (../store/count-writer.ts).
 */
export const makeCountHandler = (deps: CountDeps): CountHandler => {
  const { logger, metrics } = deps.observability ?? makeObservability('count');
  return async (event) => {
    const parsed = StreamEventSchema.safeParse(event);
    if (!parsed.success) throw new TypeError(`not a DynamoDB stream event: ${parsed.error.message}`);
    const records: StreamRecord[] = [];
    for (const raw of parsed.data.Records) {
      const record = StreamRecordSchema.safeParse(raw);
      if (record.success) records.push(record.data);
    }
    const span = spanOf(records);
    const deltas = countDeltas(records);
    if (!span || deltas.length === 0) return { state: {}, batchItemFailures: [] };
    const shard = parsed.data.shardId ?? parsed.data.eventSourceARN ?? 'stream';
    try {
      const result = await deps.writer.apply(shard, span, deltas);
      metrics.addMetric('CatalogueItemsUpdated', MetricUnit.Count, result.updated);
      metrics.addMetric('CatalogueWriteUnits', MetricUnit.Count, result.writeUnits);
      if (result.alreadyApplied > 0)
        logger.info('part of this batch was counted by an earlier delivery', {
          alreadyApplied: result.alreadyApplied,
        });
      return { state: {}, batchItemFailures: [] };
    } catch (error) {
      logger.error('count batch failed; it will be delivered again', { records: records.length, error });
      throw error;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
};
