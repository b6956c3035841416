import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { BodyStore } from '../../functions/store/article-body';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local';

/** A hook on one SDK call: the command's name and its input. */
export type Hook = (command: string, input: Record<string, unknown>) => Promise<void> | void;

/**
 * A DynamoDB Local client standing for one Lambda, whose calls pass through `before` (above the SDK's retries: a
 * throw there is the Lambda dying before the call) and `after` (below them: a throw there is a committed call whose
 * response was lost, which the SDK retries when the error is retryable). From the write-path audit (2026-12-07).
 */
export const lambdaClient = (
  endpoint: string,
  hooks: { before?: Hook; after?: Hook } = {},
): DynamoDBClient => {
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  const { before, after } = hooks;
  if (before)
    client.middlewareStack.add(
      (next, context) => async (args) => {
        await before(String(context.commandName), args.input as Record<string, unknown>);
        return next(args);
      },
      { step: 'initialize', name: 'auditBefore' },
    );
  if (after)
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        await after(String(context.commandName), args.input as Record<string, unknown>);
        return out;
      },
      { step: 'deserialize', name: 'auditAfter' },
    );
  return client;
};

/** An error the SDK retries, as a dropped connection after the server committed the call. */
export const lostResponse = () =>
  Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET', $retryable: {} });

/** An in-memory body bucket that records every put and never forgets an object. */
export const memoryBodies = (): BodyStore & { objects: Map<string, Uint8Array> } => {
  const objects = new Map<string, Uint8Array>();
  return {
    objects,
    async put(key, body) {
      objects.set(key, body);
    },
    async get(key) {
      return objects.get(key) ?? null;
    },
  };
};
