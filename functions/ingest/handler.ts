// TEMPORARY STUB by infra helper (issue 5) - will be deleted
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import * as chrono from 'chrono-node';
import nlp from 'compromise';

const s3 = new S3Client({});
const processor = new BatchProcessor(EventType.SQS);
const record = async (r: SQSRecord) => {
  const o = await s3.send(new GetObjectCommand({ Bucket: 'b', Key: r.body }));
  const t = (await o.Body?.transformToString()) ?? '';
  return [nlp(t).people().out('array'), chrono.parseDate(t)];
};
export const handler = async (event: SQSEvent, context: never) =>
  processPartialResponse(event, record, processor, { context });
