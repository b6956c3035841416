import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { makeObservability, type Observability } from '../shared/observability';
import { catalogueDeltas, type StreamRecord, StreamRecordSchema } from '../store/catalogue-deltas';
import type { Janitor } from '../store/catalogue-janitor';
import type { CatalogueWriter } from '../store/catalogue-writer';

export interface CatalogueDeps {
  writer: Pick<CatalogueWriter, 'apply'>;
  /** Removes entries and articles an overtaken ingest writer left behind (../store/catalogue-janitor.ts). */
  janitor: Pick<Janitor, 'sweep'>;
  observability?: Observability;
}

/**
 * A DynamoDB stream batch as Lambda delivers it. The event source mapping uses a tumbling window, which is what
 * puts `shardId` in the event: the writer keeps its exactly-once markers per shard. (The window's `state` is not
 * used: each batch is applied when it arrives, so the catalogue lags its articles by one batch, not one window.)
 */
const StreamEventSchema = z.object({
  Records: z.array(z.unknown()),
  shardId: z.string().min(1).optional(),
  eventSourceARN: z.string().optional(),
});

/** What a tumbling-window invocation must answer (an answer without `state` counts as a failed invocation). */
export interface CatalogueResponse {
  state: Record<string, string>;
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

export type CatalogueHandler = (event: unknown) => Promise<CatalogueResponse>;

/**
 * The table's stream consumer: folds the batch's entry changes into one delta per catalogue item and applies them,
 * then removes what overtaken ingest writers left behind (whose removal the next batch counts). Any failure throws
 * and fails the whole batch; Lambda redelivers it (split in halves on repeated failure), and the writer's markers
 * make every redelivery, whole or partial, count each record once; the clean-up is idempotent.
 */
export const makeCatalogueHandler = (deps: CatalogueDeps): CatalogueHandler => {
  const observability = deps.observability ?? makeObservability('catalogue');
  const { logger, metrics } = observability;
  return async (event) => {
    const parsed = StreamEventSchema.safeParse(event);
    if (!parsed.success) throw new TypeError(`not a DynamoDB stream event: ${parsed.error.message}`);
    const records: StreamRecord[] = [];
    let unreadable = 0;
    for (const raw of parsed.data.Records) {
      const record = StreamRecordSchema.safeParse(raw);
      if (record.success) records.push(record.data);
      else unreadable += 1;
    }
    // Items of other shapes (none today) cannot be entity entries; they are logged, never fatal.
    if (unreadable > 0) logger.warn('stream records without the expected keys were ignored', { unreadable });
    const shard = parsed.data.shardId ?? parsed.data.eventSourceARN ?? 'stream';
    const deltas = catalogueDeltas(records);
    try {
      const result = await deps.writer.apply(shard, deltas);
      metrics.addMetric('CatalogueItemsUpdated', MetricUnit.Count, result.updated);
      metrics.addMetric('CatalogueWriteUnits', MetricUnit.Count, result.writeUnits);
      const swept = await deps.janitor.sweep(records);
      if (swept.removed > 0) {
        logger.info('removed entries an overtaken writer left', { removed: swept.removed });
        metrics.addMetric('LeftoversRemoved', MetricUnit.Count, swept.removed);
      }
      if (result.alreadyApplied > 0)
        logger.info('part of this batch had been applied by an earlier delivery', {
          alreadyApplied: result.alreadyApplied,
        });
      return { state: {}, batchItemFailures: [] };
    } catch (error) {
      logger.error('catalogue batch failed; it will be redelivered', { records: records.length, error });
      throw error;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
};
