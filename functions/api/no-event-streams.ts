/**
 * Stands in for `@smithy/core/event-streams` in the API's Lambda bundle (see API_BUNDLE_ALIASES in
 * infra/constructs/lookup-api.ts). The SDK's HTTP protocol loads it with a dynamic import() for event-stream
 * operations only, and DynamoDB has none. Left in, that one dynamic import makes esbuild wrap ~160 modules of the
 * SDK in lazy initialisers (and keep 15 KB of event-stream codec), measurably slowing every cold start. Reaching
 * this module means a new SDK call path needs the real package: the error says so instead of misbehaving.
 */
const unsupported = (): never => {
  throw new Error(
    'Event streams are not bundled into the API (DynamoDB has no event-stream operations); remove the @smithy/core/event-streams alias in infra/constructs/lookup-api.ts.',
  );
};

export class EventStreamSerde {
  constructor() {
    unsupported();
  }
}

/**
 * The S3 client (which reads article bodies stored outside their item) resolves an event-stream marshaller when it
 * is made, though GetObject never uses one: it gets one that refuses every use.
 */
export const eventStreamSerdeProvider = () => ({ serialize: unsupported, deserialize: unsupported });
export const resolveEventStreamSerdeConfig = <T extends object>(config: T) =>
  Object.assign(config, { eventStreamMarshaller: eventStreamSerdeProvider() });
