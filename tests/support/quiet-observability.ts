import { makeObservability } from '../../functions/shared/observability';

/** Real Powertools objects, silenced: tests spy on them instead of reading stdout. */
export const quietObservability = () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  return makeObservability('ingest-test');
};
