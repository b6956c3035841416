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
 * The table's change stream feeds the catalogue consumer (functions/catalogue). NEW_IMAGE: an appearing entity
 * entry carries the display name; a removed one is known by its keys alone.
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
