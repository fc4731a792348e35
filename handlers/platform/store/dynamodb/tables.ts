// The DynamoDB tables: their key schema, indexes and TTL attribute. The CDK app creates exactly
// these (named `${prefix}-${table}`), and the adapters and their tests use the same description.
// Every key attribute is a string.

export interface IndexSpec {
  name: string;
  partitionKey: string;
  sortKey?: string;
}

export interface TableSpec {
  partitionKey: string;
  sortKey?: string;
  indexes: IndexSpec[];
  /** Attribute holding an expiry in epoch seconds; DynamoDB deletes the item some time after. */
  ttl?: string;
}

export const TABLES = {
  /**
   * Per application: the record under "client#<client id>" (so the per-request token check is one
   * strongly consistent GetItem) and an immutable pointer "app#<app id>" → client id.
   */
  apps: {
    partitionKey: 'pk',
    // Only records carry listKey = "app": listing is one Query in creation order, never a Scan.
    indexes: [{ name: 'byCreatedAt', partitionKey: 'listKey', sortKey: 'createdAt' }],
  },
  /** Admin users (pk "user") and sessions (pk "session#<hash>"). */
  admin: { partitionKey: 'pk', sortKey: 'sk', ttl: 'ttl', indexes: [] },
  /** Per app: template versions, labels and one head item per template name. */
  prompts: {
    partitionKey: 'appId',
    sortKey: 'sk',
    indexes: [{ name: 'heads', partitionKey: 'headAppId', sortKey: 'name' }],
  },
  /** Background model invocations, deleted by TTL when their result expires. */
  invocations: { partitionKey: 'id', ttl: 'ttl', indexes: [] },
  /**
   * Usage ledger rows (pk app id), monthly token totals (pk "<app id>#month") and the limiter's
   * per-minute counters (pk "<app id>#minute"), which alone carry a TTL.
   */
  usage: { partitionKey: 'pk', sortKey: 'sk', ttl: 'ttl', indexes: [] },
} as const satisfies Record<string, TableSpec>;

export type TableName = keyof typeof TABLES;

export const tableName = (prefix: string, table: TableName) => `${prefix}-${table}`;
