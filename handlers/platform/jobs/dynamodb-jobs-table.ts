// The DynamoDB table of the job store, apart from the adapter so that the kernel's table list
// (store/dynamodb/tables.ts, read by the CDK app at synth) declares it without loading the SDK.
import type { TableSpec } from '../store/dynamodb/tables.ts';

/** The table's name after the deployment prefix: `${prefix}-jobs`. */
export const JOBS_TABLE = 'jobs';

/** The table (one of the kernel's: KERNEL_TABLES). */
export const JOBS_TABLE_SPEC = {
  /** `<app id>#<job id>` (both URI-encoded): another app's job id is another key. */
  partitionKey: 'pk',
  /** "job", or "item#<item id>". */
  sortKey: 'sk',
  /** A backstop a week after a finished job's expiry; deleteExpired removes it (and its items) first. */
  ttl: 'ttl',
  indexes: [
    /** Job records: listApp = app id, orderKey = `<createdAt>#<job id>`. */
    { name: 'byApp', partitionKey: 'listApp', sortKey: 'orderKey' },
    /** Job records: listKind = `<app id>#<kind>`. */
    { name: 'byKind', partitionKey: 'listKind', sortKey: 'orderKey' },
    /** Finished job records only (sparse): expiring = "1", expiresKey = `<expiresAt, 15 digits>#<pk>`. */
    { name: 'expiring', partitionKey: 'expiring', sortKey: 'expiresKey' },
  ],
} as const satisfies TableSpec;
