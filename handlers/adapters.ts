// Picks the adapter behind every port from the configuration: the embedded defaults (SQLite,
// the local token issuer) or the AWS services the CDK app creates (DynamoDB, SQS, Cognito).
// Nothing else in the code base knows which ones run.
import { createLocalJWKSet, createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from './platform/config.ts';
import type { Logger } from './platform/logger.ts';
import type { AdminStore, AppStore } from './platform/store/ports.ts';
import type { JobQueue } from './platform/queue/ports.ts';
import { loadOrCreateSigningKeys, type SigningKeys } from './platform/auth/signing-keys.ts';
import { prepareDataDir } from './platform/data-dir.ts';
import { openDatabase, pingSqlite } from './platform/store/sqlite/database.ts';
import { sqliteAppStore } from './platform/store/sqlite/app-store.ts';
import { sqliteAdminStore } from './platform/store/sqlite/admin-store.ts';
import { cachedAppStore } from './platform/store/cached-app-store.ts';
import { createDynamo, pingDynamo } from './platform/store/dynamodb/client.ts';
import { dynamoAppStore } from './platform/store/dynamodb/app-store.ts';
import { dynamoAdminStore } from './platform/store/dynamodb/admin-store.ts';
import { sqliteJobQueue } from './platform/queue/sqlite-job-queue.ts';
import { sqsJobQueue } from './platform/queue/sqs-job-queue.ts';
import type { PromptStore } from './prompt/prompt-store.ts';
import { sqlitePromptStore } from './prompt/sqlite-prompt-store.ts';
import { dynamoPromptStore } from './prompt/dynamodb-prompt-store.ts';
import { sqliteInvocationStore, type InvocationStore } from './model/invocation-store.ts';
import { dynamoInvocationStore } from './model/dynamodb-invocation-store.ts';
import type { UsageLedger } from './model/usage-ledger.ts';
import { sqliteUsageLedger } from './model/sqlite-usage-ledger.ts';
import { dynamoUsageLedger } from './model/dynamodb-usage-ledger.ts';
import { UsageLimits, type UsageLimiter } from './model/usage-limits.ts';
import { dynamoUsageLimits } from './model/dynamodb-usage-limits.ts';
import { localClientRegistry, type ClientRegistry } from './admin/client-registry.ts';
import { cognitoClientRegistry } from './admin/cognito-client-registry.ts';

export interface Adapters {
  apps: AppStore;
  admin: AdminStore;
  prompts: PromptStore;
  invocations: InvocationStore;
  ledger: UsageLedger;
  /** Per-app limits: in this process's memory on the embedded default, shared DynamoDB counters on AWS. */
  limiter: UsageLimiter;
  jobs: JobQueue;
  registry: ClientRegistry;
  /** Who issues application tokens and the keys that verify them. */
  tokens: { issuer: string; keys: JWTVerifyGetKey };
  /** Set when the platform issues tokens itself (the local auth service). */
  signingKeys?: SigningKeys;
  /** Answers when the store does (health checks). */
  ping(): Promise<void>;
  /** Writes what is buffered and closes connections. */
  close(): Promise<void>;
}

export async function createAdapters(config: Config, log: Logger): Promise<Adapters> {
  const { store, queue, identity } = config.aws;
  const usesDataDir = store.kind === 'sqlite' || queue.kind === 'sqlite' || identity.kind === 'local';
  if (usesDataDir) prepareDataDir(config.dataDir);
  const db = store.kind === 'sqlite' || queue.kind === 'sqlite' ? openDatabase(config.dataDir) : undefined;

  let stores: Pick<Adapters, 'apps' | 'admin' | 'prompts' | 'invocations' | 'limiter' | 'ping'> & { ledger: UsageLedger & { close(): unknown } };
  if (store.kind === 'dynamodb') {
    const dynamo = createDynamo(store.tablePrefix);
    const ledger = dynamoUsageLedger(dynamo, log);
    stores = {
      apps: dynamoAppStore(dynamo), // never cached: every task writes
      admin: dynamoAdminStore(dynamo),
      prompts: dynamoPromptStore(dynamo),
      invocations: dynamoInvocationStore(dynamo),
      ledger,
      limiter: dynamoUsageLimits(dynamo, log),
      ping: () => pingDynamo(dynamo),
    };
  } else {
    const ledger = sqliteUsageLedger(db!);
    stores = {
      apps: cachedAppStore(sqliteAppStore(db!)), // one process writes, so a cache is exact
      admin: sqliteAdminStore(db!),
      prompts: sqlitePromptStore(db!),
      invocations: sqliteInvocationStore(db!),
      ledger,
      limiter: new UsageLimits(ledger),
      ping: () => pingSqlite(db!),
    };
  }

  const jobs = queue.kind === 'sqs' ? sqsJobQueue(new SQSClient({}), { prefix: queue.queuePrefix, waitSeconds: queue.waitSeconds }) : sqliteJobQueue(db!);

  let identityParts: Pick<Adapters, 'registry' | 'tokens' | 'signingKeys'>;
  if (identity.kind === 'cognito') {
    const issuer = `https://cognito-idp.${identity.region}.amazonaws.com/${identity.userPoolId}`;
    identityParts = {
      registry: cognitoClientRegistry(new CognitoIdentityProviderClient({ region: identity.region }), identity.userPoolId),
      tokens: { issuer, keys: createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`)) },
    };
  } else {
    const signingKeys = await loadOrCreateSigningKeys(config.dataDir);
    identityParts = {
      registry: localClientRegistry,
      tokens: { issuer: config.publicUrl, keys: createLocalJWKSet({ keys: [signingKeys.publicJwk] }) },
      signingKeys,
    };
  }

  return {
    ...stores,
    jobs,
    ...identityParts,
    async close() {
      await stores.ledger.close();
      db?.close();
    },
  };
}
