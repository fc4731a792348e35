// The vector service's DynamoDB tables, apart from the adapters so that the module's declaration
// (read by the CDK app at synth) names them without loading the SDK. Every key is a string.
import type { TableSpec } from '../../platform/store/dynamodb/tables.ts';

export const VECTOR_TABLES = {
  /**
   * The catalogue. pk `store#<app>#<store id>` (sk "store": the store; sk `name#<index name>`: the
   * claim that keeps an index name unique in its store) and `index#<index id>` (sk "index": the
   * index, with its app as an attribute, so a backend can resolve an index by id alone).
   * Stores and indexes carry listKey/orderKey for the `listed` index: listKey `stores#<app>` or
   * `indexes#<app>#<store id>`, orderKey `<created at>#<id>`.
   */
  'vector-catalog': { partitionKey: 'pk', sortKey: 'sk', indexes: [{ name: 'listed', partitionKey: 'listKey', sortKey: 'orderKey' }] },
  /**
   * The OpenSearch backend's live generation of each file: pk the index id, sk the file name, one
   * item per file (a pointer swapped by one PutItem). Per file rather than one item per index, so
   * an index is not capped by DynamoDB's 400 KB item size (a few thousand files).
   */
  'vector-generations': { partitionKey: 'pk', sortKey: 'sk', indexes: [] },
} as const satisfies Record<string, TableSpec>;
