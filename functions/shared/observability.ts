import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { type TraceableClient, traceSdkCalls, udpEmitter, xrayDaemonAddress } from './xray';

/**
 * The one place logger, metrics and tracing are made, for both functions. Service names and the metrics namespace
 * come from the standard Powertools variables (POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE) set by the
 * stack; the defaults below are for local runs and tests.
 */
export const METRICS_NAMESPACE = 'NewsPipeline';

export const makeObservability = (serviceName: string) => {
  let logger: Logger | undefined;
  const daemon = xrayDaemonAddress();
  const emit = daemon ? udpEmitter(daemon) : null;
  return {
    /**
     * Made on first use: the API logs only unexpected errors, and constructing a Powertools Logger costs ~2 ms of
     * a cold start (tests/bench/cold-start.ts). The ingest uses it on every record, so it is made at once there.
     */
    get logger(): Logger {
      logger ??= new Logger({ serviceName });
      return logger;
    },
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName }),
    /**
     * The one way an SDK client is traced: in Lambda with active tracing (and POWERTOOLS_TRACE_ENABLED not false),
     * one X-Ray subsegment per call under the invocation's segment (./xray.ts); elsewhere the client is untouched.
     */
    traceClient<C extends TraceableClient>(client: C): C {
      if (emit) traceSdkCalls(client, { emit });
      return client;
    },
  };
};

export type Observability = ReturnType<typeof makeObservability>;

/**
 * Publishes what an invocation recorded, and nothing when it recorded nothing: Powertools would otherwise warn "No
 * application metrics to publish" on every 4xx, S3 test event or skipped record.
 */
export const publishMetrics = (metrics: Pick<Metrics, 'hasStoredMetrics' | 'publishStoredMetrics'>) => {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
};
