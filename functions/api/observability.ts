import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/**
 * The API's logger and metrics: makeObservability (../shared/observability.ts) without the Tracer, whose X-Ray
 * SDK is the costliest part of the API's cold start. SDK calls are traced by ./xray.ts instead. The namespace
 * mirrors METRICS_NAMESPACE there (a test holds them equal): importing it would bundle the Tracer again.
 */
export const API_METRICS_NAMESPACE = 'NewsPipeline';

export const makeApiObservability = (serviceName: string) => ({
  logger: new Logger({ serviceName }),
  metrics: new Metrics({ namespace: API_METRICS_NAMESPACE, serviceName }),
});
