import { createHash } from 'node:crypto';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { Received } from './queue';
import { LOCAL_REGION } from './s3-notification';

export const LOCAL_ACCOUNT_ID = '000000000000';
/** The principal S3 sends notifications as; real queues show an AWS-owned id here. */
const S3_SENDER_ID = 'AIDAJHIPRHEMV73VRJEBU';

export const localQueueArn = (queueName: string) =>
  `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${queueName}`;

/** Wraps received messages the way the Lambda SQS event source mapping hands them to a function. */
export const toSqsEvent = (received: readonly Received[], queueArn: string): SQSEvent => ({
  Records: received.map(
    ({ message, receiptHandle }): SQSRecord => ({
      messageId: message.messageId,
      receiptHandle,
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentTimestamp),
        SenderId: S3_SENDER_ID,
        ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(message.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: LOCAL_REGION,
    }),
  ),
});
