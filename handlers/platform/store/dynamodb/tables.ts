// The DynamoDB tables: their key schema, indexes and TTL attribute. The CDK app creates exactly
// the kernel's and every module's (named `${prefix}-${table}`); adapters and tests read the same.
// Every key attribute is a string.
import { JOBS_TABLE_SPEC } from '../../jobs/dynamodb-jobs-table.ts';

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

/** The kernel's tables; each module declares its own (see module.ts). */
export const KERNEL_TABLES = {
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
  /**
   * Usage ledger rows (pk app id), monthly token totals (pk "<app id>#month") and the limiter's
   * per-minute counters (pk "<app id>#minute"), which alone carry a TTL.
   */
  usage: { partitionKey: 'pk', sortKey: 'sk', ttl: 'ttl', indexes: [] },
  /** The job store: every module's long tasks (jobs and their items), per app. */
  jobs: JOBS_TABLE_SPEC,
  /** Per-app API keys: the record under "hash#<sha256>" (checked per request), listed under "app#<app id>". */
  'api-keys': { partitionKey: 'pk', sortKey: 'sk', indexes: [] },
} as const satisfies Record<string, TableSpec>;

export const tableName = (prefix: string, table: string) => `${prefix}-${table}`;

/** Every table of a platform made of these modules: the kernel's and theirs. */
export function platformTables(modules: { tables?: Record<string, TableSpec> }[]): Record<string, TableSpec> {
  const tables: Record<string, TableSpec> = { ...KERNEL_TABLES };
  for (const module of modules) {
    for (const [name, spec] of Object.entries(module.tables ?? {})) {
      if (tables[name]) throw new Error(`two declarations of the table "${name}"`);
      tables[name] = spec;
    }
  }
  return tables;
}
