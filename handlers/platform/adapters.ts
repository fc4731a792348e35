// Picks the adapters behind the kernel's ports from the configuration: the embedded defaults
// (SQLite, the local token issuer) or the AWS services the CDK app creates (DynamoDB, SQS,
// Cognito). Modules build their own stores on the metadata store chosen here.
import { createLocalJWKSet, createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from './config.ts';
import type { Kernel, ModuleDeclaration } from './module.ts';
import type { AppStore } from './store/ports.ts';
import type { JobQueue } from './queue/ports.ts';
import type { JobStore } from './jobs/ports.ts';
import { sqliteJobStore } from './jobs/sqlite-job-store.ts';
import { dynamoJobStore } from './jobs/dynamodb-job-store.ts';
import { JOBS_TABLE } from './jobs/dynamodb-jobs-table.ts';
import { loadOrCreateSigningKeys, type SigningKeys } from './auth/signing-keys.ts';
import { prepareDataDir } from './data-dir.ts';
import { openDatabase, pingSqlite } from './store/sqlite/database.ts';
import { sqliteAppStore } from './store/sqlite/app-store.ts';
import { cachedAppStore } from './store/cached-app-store.ts';
import { createDynamo, pingDynamo } from './store/dynamodb/client.ts';
import { dynamoAppStore } from './store/dynamodb/app-store.ts';
import { sqliteJobQueue } from './queue/sqlite-job-queue.ts';
import { sqsJobQueue } from './queue/sqs-job-queue.ts';
import type { UsageLedger } from './usage/usage-ledger.ts';
import { sqliteUsageLedger } from './usage/sqlite-usage-ledger.ts';
import { dynamoUsageLedger } from './usage/dynamodb-usage-ledger.ts';
import { UsageLimits, type UsageLimiter } from './usage/usage-limits.ts';
import { dynamoUsageLimits } from './usage/dynamodb-usage-limits.ts';
import type { Logger } from './logger.ts';
import type { ApiKeyStore } from './api-keys/ports.ts';
import { sqliteApiKeyStore } from './api-keys/sqlite-api-key-store.ts';
import { dynamoApiKeyStore } from './api-keys/dynamodb-api-key-store.ts';
import type { BlobStore } from './blobs/ports.ts';
import { LocalBlobStore } from './blobs/local-blob-store.ts';
import { S3BlobStore, createS3Client } from './blobs/s3-blob-store.ts';

export interface KernelAdapters {
  store: Kernel['store'];
  apps: AppStore;
  apiKeys: ApiKeyStore;
  jobs: JobQueue;
  /** Jobs with items (their states, counters and results), on the metadata store. */
  jobStore: JobStore;
  /** Uploaded files and results, with signed upload and download URLs. */
  blobs: BlobStore;
  ledger: UsageLedger;
  /** Per-app limits: in this process's memory on the embedded default, shared DynamoDB counters on AWS. */
  limiter: UsageLimiter;
  /** Who issues application tokens and the keys that verify them. */
  tokens: { issuer: string; keys: JWTVerifyGetKey };
  /** Set when the platform issues tokens itself (the local auth service). */
  signingKeys?: SigningKeys;
  /** Answers when the store does (health checks). */
  ping(): Promise<void>;
  /** Writes what is buffered and closes connections. */
  close(): Promise<void>;
}

export async function createKernelAdapters(config: Config, modules: ModuleDeclaration[], log: Logger): Promise<KernelAdapters> {
  const { store, queue, identity } = config.aws;
  const { blobs } = config.aws;
  if (store.kind === 'sqlite' || queue.kind === 'sqlite' || identity.kind === 'local' || blobs.kind === 'local') prepareDataDir(config.dataDir);
  const db = store.kind === 'sqlite' || queue.kind === 'sqlite' ? openDatabase(config.dataDir, modules) : undefined;

  let stores: Pick<KernelAdapters, 'store' | 'apps' | 'apiKeys' | 'jobStore' | 'limiter' | 'ping'> & { ledger: UsageLedger & { close(): unknown } };
  if (store.kind === 'dynamodb') {
    const dynamo = createDynamo(store.tablePrefix);
    stores = {
      store: { kind: 'dynamodb', dynamo },
      apps: dynamoAppStore(dynamo), // never cached: every task writes
      apiKeys: dynamoApiKeyStore(dynamo),
      jobStore: dynamoJobStore(dynamo, dynamo.table(JOBS_TABLE)),
      ledger: dynamoUsageLedger(dynamo, log),
      limiter: dynamoUsageLimits(dynamo, log),
      ping: () => pingDynamo(dynamo),
    };
  } else {
    const ledger = sqliteUsageLedger(db!);
    stores = {
      store: { kind: 'sqlite', db: db! },
      apps: cachedAppStore(sqliteAppStore(db!)), // one process writes, so a cache is exact
      apiKeys: sqliteApiKeyStore(db!),
      jobStore: sqliteJobStore(db!),
      ledger,
      limiter: new UsageLimits(ledger),
      ping: () => pingSqlite(db!),
    };
  }

  const jobs = queue.kind === 'sqs' ? sqsJobQueue(new SQSClient({}), { prefix: queue.queuePrefix, waitSeconds: queue.waitSeconds }) : sqliteJobQueue(db!);

  let tokens: Pick<KernelAdapters, 'tokens' | 'signingKeys'>;
  if (identity.kind === 'cognito') {
    const issuer = `https://cognito-idp.${identity.region}.amazonaws.com/${identity.userPoolId}`;
    tokens = { tokens: { issuer, keys: createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)) } };
  } else {
    const signingKeys = await loadOrCreateSigningKeys(config.dataDir);
    tokens = { tokens: { issuer: config.publicUrl, keys: createLocalJWKSet({ keys: [signingKeys.publicJwk] }) }, signingKeys };
  }

  return {
    ...stores,
    jobs,
    blobs: blobs.kind === 's3' ? new S3BlobStore(createS3Client(), blobs.bucket) : new LocalBlobStore({ dataDir: config.dataDir, publicUrl: config.publicUrl }),
    ...tokens,
    async close() {
      await stores.ledger.close();
      db?.close();
    },
  };
}
