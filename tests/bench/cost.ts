/**
 * On-demand price list used for the cost estimate (us-east-1, USD, list prices as published for 2025:
 * DynamoDB after the November 2024 on-demand price cut). Stated in the bench output so readers can redo the sums.
 */
export const PRICES = {
  dynamoWriteRequestUnitPerMillion: 0.625,
  dynamoReadRequestUnitPerMillion: 0.125,
  dynamoStorageGbMonth: 0.25,
  lambdaRequestPerMillion: 0.2,
  lambdaArmGbSecond: 0.0000133334,
  s3PutPerThousand: 0.005,
  s3GetPerThousand: 0.0004,
  sqsRequestPerMillion: 0.4,
  httpApiRequestPerMillion: 1.0,
} as const;

export interface CostInputs {
  /** Write request units per ingested article, measured (ReturnConsumedCapacity). */
  wcuPerArticle: number;
  /** Stored bytes per article across all its items. */
  bytesPerArticle: number;
  /** Read request units per API page, measured. */
  rcuPerApiCall: number;
  /** Lambda billed duration per article (ms) and memory (MB). */
  ingestMsPerArticle: number;
  ingestMemoryMb: number;
  apiMsPerCall: number;
  apiMemoryMb: number;
  /** Articles per SQS batch (each receive + delete is a request; batched). */
  batchSize: number;
}

export const estimateCosts = (inputs: CostInputs) => {
  const perMillion = 1_000_000;
  const gbSeconds = (ms: number, mb: number) => (ms / 1000) * (mb / 1024);
  const ingest = {
    dynamoWrites: inputs.wcuPerArticle * PRICES.dynamoWriteRequestUnitPerMillion,
    // One Query before writing: 0.5 RRU eventually consistent; we read strongly consistent, 1 RRU.
    dynamoReads: 1 * PRICES.dynamoReadRequestUnitPerMillion,
    lambda:
      PRICES.lambdaRequestPerMillion / inputs.batchSize +
      gbSeconds(inputs.ingestMsPerArticle, inputs.ingestMemoryMb) * PRICES.lambdaArmGbSecond * perMillion,
    s3: PRICES.s3PutPerThousand * 1000 + PRICES.s3GetPerThousand * 1000,
    // Send (by S3), receive and delete, the last two batched.
    sqs: PRICES.sqsRequestPerMillion * (1 + 2 / inputs.batchSize),
    storagePerMonth: ((inputs.bytesPerArticle * perMillion) / 1024 ** 3) * PRICES.dynamoStorageGbMonth,
  };
  const api = {
    httpApi: PRICES.httpApiRequestPerMillion,
    lambda:
      PRICES.lambdaRequestPerMillion +
      gbSeconds(inputs.apiMsPerCall, inputs.apiMemoryMb) * PRICES.lambdaArmGbSecond * perMillion,
    dynamoReads: inputs.rcuPerApiCall * PRICES.dynamoReadRequestUnitPerMillion,
  };
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  return {
    prices: PRICES,
    perMillionArticlesIngested: { ...ingest, total: sum(ingest) - ingest.storagePerMonth },
    perMillionApiCalls: { ...api, total: sum(api) },
  };
};
