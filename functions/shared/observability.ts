import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * The one place logger, metrics and tracer are made. Service names and the metrics namespace come from the
 * standard Powertools variables (POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE) set by the stack;
 * the defaults below are for local runs and tests.
 */
export const METRICS_NAMESPACE = 'NewsPipeline';

export const makeObservability = (serviceName: string) => {
  const logger = new Logger({ serviceName });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  const tracer = new Tracer({ serviceName });
  return { logger, metrics, tracer };
};

export type Observability = ReturnType<typeof makeObservability>;
