import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { AbsoluteLocation, BuildHandlerOptions, BuildMiddleware } from '@smithy/types';

/**
 * X-Ray subsegments for AWS SDK calls without the X-Ray SDK. The Powertools Tracer brings aws-xray-sdk-core,
 * cls-hooked and semver (~125 KB minified) and sets up async-hooks namespaces at import: about 10 ms of every cold
 * start (tests/bench/cold-start.ts). Both functions use tracing for one thing only, a subsegment per SDK call under
 * the invocation segment Lambda's active tracing already records, so they send those themselves: the same document
 * the SDK's captureAWSv3Client streams (namespace `aws`, operation, table or bucket, request id, HTTP status,
 * error/fault/throttle flags), as UDP datagrams to the daemon address Lambda provides.
 */
export interface TraceContext {
  root: string;
  parent: string;
  sampled: boolean;
}

/** `Root=1-...;Parent=...;Sampled=1[;Lineage=...]`, the value of `_X_AMZN_TRACE_ID` during an invocation. */
export const parseTraceHeader = (header: string | undefined): TraceContext | null => {
  if (!header) return null;
  const fields = new Map(
    header.split(';').map((field) => {
      const at = field.indexOf('=');
      return [field.slice(0, at).trim(), field.slice(at + 1).trim()] as const;
    }),
  );
  const root = fields.get('Root');
  const parent = fields.get('Parent');
  if (!root || !parent) return null;
  return { root, parent, sampled: fields.get('Sampled') === '1' };
};

/**
 * The invocation's trace header. The Node runtime keeps it in its per-invocation store when it runs several
 * invocations at once, and in `_X_AMZN_TRACE_ID` otherwise (the order Powertools reads them in).
 */
export const currentTraceHeader = (): string | undefined => {
  const store = (globalThis as { awslambda?: { InvokeStore?: { getXRayTraceId?: () => unknown } } }).awslambda
    ?.InvokeStore;
  const fromStore = store?.getXRayTraceId?.();
  return typeof fromStore === 'string' && fromStore !== '' ? fromStore : process.env._X_AMZN_TRACE_ID;
};

/** Tracing is on where Powertools would turn it on: in Lambda, unless POWERTOOLS_TRACE_ENABLED=false. */
export const xrayDaemonAddress = (env: NodeJS.ProcessEnv = process.env): string | null =>
  env.AWS_LAMBDA_FUNCTION_NAME &&
  env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false' &&
  env.POWERTOOLS_DEV?.toLowerCase() !== 'true' &&
  env.AWS_XRAY_DAEMON_ADDRESS
    ? env.AWS_XRAY_DAEMON_ADDRESS
    : null;

const PROTOCOL_HEADER = '{"format":"json","version":1}\n';

/**
 * Sends documents to the daemon: `host:port`, or the `udp:host:port tcp:host:port` form. One socket, made on first
 * use and unref'd so it never holds the process open; a lost datagram costs a subsegment, never a request.
 */
export const udpEmitter = (address: string): ((document: object) => void) => {
  const udp = address.split(/\s+/).find((part) => part.startsWith('udp:')) ?? address.split(/\s+/)[0] ?? '';
  const hostPort = udp.replace(/^udp:/, '');
  const at = hostPort.lastIndexOf(':');
  const host = hostPort.slice(0, at);
  const port = Number(hostPort.slice(at + 1));
  let socket: Socket | undefined;
  return (document) => {
    if (!socket) {
      socket = createSocket('udp4');
      socket.unref();
      socket.on('error', () => undefined);
    }
    socket.send(`${PROTOCOL_HEADER}${JSON.stringify(document)}`, port, host, () => undefined);
  };
};

export interface TraceSdkDeps {
  emit: (document: object) => void;
  traceHeader?: () => string | undefined;
  now?: () => number;
}

interface SdkMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts?: number;
}

const metadataOf = (value: unknown): SdkMetadata => {
  const metadata = (value as { $metadata?: unknown } | null | undefined)?.$metadata;
  return typeof metadata === 'object' && metadata !== null ? (metadata as SdkMetadata) : {};
};

/** The X-Ray SDK's classification: 429 or a throttling error throttles, other 4xx are errors, 5xx faults. */
const flagsOf = (status: number | undefined, error: unknown) => {
  const name = error instanceof Error ? error.name : '';
  const throttled = status === 429 || /Throttl|ProvisionedThroughputExceeded|RequestLimitExceeded/.test(name);
  if (throttled) return { error: true, throttle: true };
  if (status !== undefined && status >= 500) return { fault: true };
  if (status !== undefined && status >= 400) return { error: true };
  // An error without an HTTP answer (timeout, connection reset) is on the calling side's path: a fault.
  return error === undefined ? {} : { fault: true };
};

/**
 * Adds one subsegment per call (retries included) to a client's middleware stack; a DocumentClient made from the
 * client shares the stack. The call's `X-Amzn-Trace-Id` names the subsegment as its parent, as the X-Ray SDK does.
 * Calls outside a sampled invocation pass straight through.
 */
/** The part of an SDK v3 client that tracing uses: every client (S3, DynamoDB) has it. */
export interface TraceableClient {
  config: { region?: unknown };
  middlewareStack: {
    // biome-ignore lint/suspicious/noExplicitAny: any client's input and output types
    add(middleware: BuildMiddleware<any, any>, options: BuildHandlerOptions & AbsoluteLocation): void;
  };
}

export const traceSdkCalls = (client: TraceableClient, deps: TraceSdkDeps): void => {
  const traceHeader = deps.traceHeader ?? currentTraceHeader;
  const now = deps.now ?? (() => Date.now() / 1000);
  const region = client.config.region;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const trace = parseTraceHeader(traceHeader());
      if (!trace?.sampled) return next(args);
      const id = randomBytes(8).toString('hex');
      const request = args.request as { headers?: Record<string, string> } | undefined;
      if (request?.headers) {
        request.headers['X-Amzn-Trace-Id'] = `Root=${trace.root};Parent=${id};Sampled=1`;
      }
      const input: { TableName?: unknown; Bucket?: unknown } = args.input;
      const start = now();
      const finish = async (value: unknown, error?: unknown) => {
        try {
          await record(value, error);
        } catch {
          // Tracing must never fail or change a request: a subsegment that cannot be built is dropped.
        }
      };
      const record = async (value: unknown, error?: unknown) => {
        const meta = metadataOf(value ?? error);
        const status = meta.httpStatusCode;
        deps.emit({
          id,
          name: context.clientName?.replace(/Client$/, '') ?? 'AWS',
          trace_id: trace.root,
          parent_id: trace.parent,
          type: 'subsegment',
          namespace: 'aws',
          start_time: start,
          end_time: now(),
          aws: {
            operation: context.commandName?.replace(/Command$/, ''),
            region: typeof region === 'function' ? await region() : region,
            ...(meta.requestId ? { request_id: meta.requestId } : {}),
            ...(meta.attempts ? { retries: meta.attempts - 1 } : {}),
            ...(typeof input.TableName === 'string' ? { table_name: input.TableName } : {}),
            ...(typeof input.Bucket === 'string' ? { bucket_name: input.Bucket } : {}),
          },
          ...(status !== undefined ? { http: { response: { status } } } : {}),
          ...flagsOf(status, error),
          ...(error instanceof Error
            ? {
                cause: {
                  exceptions: [
                    {
                      id: randomBytes(8).toString('hex'),
                      message: error.message,
                      type: error.name,
                      remote: true,
                    },
                  ],
                },
              }
            : {}),
        });
      };
      try {
        const output = await next(args);
        await finish(output.output);
        return output;
      } catch (error) {
        await finish(undefined, error);
        throw error;
      }
    },
    { step: 'build', name: 'xraySubsegments' },
  );
};
