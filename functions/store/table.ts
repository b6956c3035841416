/**
 * The one table, defined once. The CDK stack and the local stack (DynamoDB Local) both build it from here.
 *
 * Single-table layout: every item has a string partition key `pk` and sort key `sk`; there are no GSIs because
 * every index entry is an explicit item whose keys answer one API question (see ./keys.ts).
 */
export const TABLE_PARTITION_KEY = 'pk';
export const TABLE_SORT_KEY = 'sk';

export const tableKeySchema = {
  partitionKey: { name: TABLE_PARTITION_KEY, type: 'S' },
  sortKey: { name: TABLE_SORT_KEY, type: 'S' },
} as const;

/**
 * The table's change stream feeds the derive and count consumers (functions/derive, functions/count). NEW_IMAGE,
 * not NEW_AND_OLD_IMAGES: the derive consumer takes a record's change only as a trigger and reads the current
 * record (an image diff breaks for good on one lost or reordered stream record), and the count consumer needs only
 * the keys of a removed entry and the display name of a new one. Old images would double the stream's bytes for
 * nothing, and the view type cannot change without replacing the stream.
 */
export const TABLE_STREAM_VIEW_TYPE = 'NEW_IMAGE' as const;

/** Input for DynamoDB CreateTable (local stack and tests). */
export const createTableInput = (tableName: string) => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST' as const,
  StreamSpecification: { StreamEnabled: true, StreamViewType: TABLE_STREAM_VIEW_TYPE },
  AttributeDefinitions: [
    { AttributeName: TABLE_PARTITION_KEY, AttributeType: 'S' as const },
    { AttributeName: TABLE_SORT_KEY, AttributeType: 'S' as const },
  ],
  KeySchema: [
    { AttributeName: TABLE_PARTITION_KEY, KeyType: 'HASH' as const },
    { AttributeName: TABLE_SORT_KEY, KeyType: 'RANGE' as const },
  ],
});
