// The vector service's DynamoDB tables (the module's `tables`; the CDK app creates them as
// `<prefix>-<table>`). Every key attribute is a string.
import type { TableSpec } from '../../platform/store/dynamodb/tables.ts';

export const VECTOR_CATALOG_TABLE = 'vector-catalog';
export const VECTOR_LIVE_GENERATIONS_TABLE = 'vector-live-generations';

export const VECTOR_TABLES = {
  /**
   * Stores and indexes, per app: pk = app id; sk = "store#<store id>" | "index#<index id>", plus
   * a guard item "index-name#<store id>#<index name>" (a conditional put makes one index per name).
   * Listing is one Query on `byList`: listKey "<app id>#stores" (read newest first) or
   * "<app id>#indexes#<store id>" (oldest first), listSort "<created_at>#<id>".
   */
  [VECTOR_CATALOG_TABLE]: {
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [{ name: 'byList', partitionKey: 'listKey', sortKey: 'listSort' }],
  },
  /** The OpenSearch backend's live generation of each file: one item per index (pk = index id), swapped conditionally. */
  [VECTOR_LIVE_GENERATIONS_TABLE]: { partitionKey: 'indexId', indexes: [] },
} as const satisfies Record<string, TableSpec>;
