import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * The API's logger and metrics: makeObservability (../shared/observability.ts) without the Tracer, whose X-Ray
 * SDK is the costliest part of the API's cold start; SDK calls are traced by ./xray.ts instead. The namespace
 * mirrors METRICS_NAMESPACE there (a test holds them equal): importing it would bundle the Tracer again.
 *
 * Metrics are written on every request, so they are made at cold start. The logger is made on the first
 * unexpected error, the only thing the API logs: a Powertools Logger costs ~2 ms of process CPU to construct
 * (tests/bench/cold-start.ts), which most containers would pay for nothing.
 */
export const API_METRICS_NAMESPACE = 'NewsPipeline';

export interface ApiLogger {
  error(message: string, extra: Record<string, unknown>): void;
}

export const makeApiObservability = (serviceName: string) => {
  let logger: Logger | undefined;
  const lazyLogger: ApiLogger = {
    error(message, extra) {
      logger ??= new Logger({ serviceName });
      logger.error(message, extra);
    },
  };
  return {
    logger: lazyLogger,
    metrics: new Metrics({ namespace: API_METRICS_NAMESPACE, serviceName }),
  };
};
