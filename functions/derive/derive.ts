import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod';
import { makeObservability, type Observability } from '../shared/observability';
import type { DeriveWriter } from '../store/derive-writer';

export interface DeriveDeps {
  writer: Pick<DeriveWriter, 'apply'>;
  observability?: Observability;
}

/** The slice of a stream record this consumer reads: which record changed. Images are not trusted, only keys. */
const RecordKeysSchema = z.object({
  dynamodb: z.object({
    Keys: z.object({ pk: z.object({ S: z.string() }), sk: z.object({ S: z.string() }) }),
  }),
});
const StreamEventSchema = z.object({ Records: z.array(z.unknown()) });

export type DeriveHandler = (event: unknown) => Promise<void>;

/**
 * The derive consumer: the table's stream, filtered to records (`ART#<id>`/`RECORD`), tells it which articles
 * changed; it brings their derived items in line with their CURRENT records (../store/derive-writer.ts). A record
 * seen twice, late or out of order changes nothing more, so any failure simply fails the batch and Lambda
 * delivers it again.
 */
export const makeDeriveHandler = (deps: DeriveDeps): DeriveHandler => {
  const { logger, metrics } = deps.observability ?? makeObservability('derive');
  return async (event) => {
    const parsed = StreamEventSchema.safeParse(event);
    if (!parsed.success) throw new TypeError(`not a DynamoDB stream event: ${parsed.error.message}`);
    const ids = new Set<string>();
    for (const raw of parsed.data.Records) {
      const keys = RecordKeysSchema.safeParse(raw).data?.dynamodb.Keys;
      if (keys?.sk.S === 'RECORD' && keys.pk.S.startsWith('ART#')) ids.add(keys.pk.S.slice('ART#'.length));
    }
    if (ids.size === 0) return;
    try {
      const result = await deps.writer.apply([...ids]);
      metrics.addMetric('ArticlesDerived', MetricUnit.Count, result.derived);
      metrics.addMetric('DeriveWriteUnits', MetricUnit.Count, result.writeUnits);
      if (result.unreadable.length > 0) {
        // Left as they are for the verifier: failing the batch would only block the shard behind them.
        logger.error('records whose article could not be read were not derived', { ids: result.unreadable });
        metrics.addMetric('RecordsUnreadable', MetricUnit.Count, result.unreadable.length);
      }
    } catch (error) {
      logger.error('derive batch failed; it will be delivered again', { articles: ids.size, error });
      throw error;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
};
