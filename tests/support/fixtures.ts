import { readFileSync } from 'node:fs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';

/** Loads an SQS event fixture from tests/fixtures/events, validated so a broken fixture fails loudly. */
const SqsEventSchema = z.object({
  Records: z.array(z.looseObject({ messageId: z.string(), body: z.string(), receiptHandle: z.string() })),
});

export const loadEventFixture = (name: string): SQSEvent => {
  const json: unknown = JSON.parse(
    readFileSync(new URL(`../fixtures/events/${name}`, import.meta.url), 'utf8'),
  );
  const parsed = SqsEventSchema.parse(json);
  return {
    Records: parsed.Records.map(
      (r): SQSRecord => ({
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '0',
          SenderId: 'x',
          ApproximateFirstReceiveTimestamp: '0',
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:news-ingest',
        awsRegion: 'eu-west-1',
        ...r,
      }),
    ),
  };
};

/** The S3 notification inside a fixture's first record, as a plain object to clone and edit. */
export const fixtureBody = (name: string): Record<string, unknown> => {
  const body: unknown = JSON.parse(loadEventFixture(name).Records[0]?.body ?? '{}');
  return z.record(z.string(), z.unknown()).parse(body);
};
