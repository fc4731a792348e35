// The service-module contract. A service is one module: what it declares (its schema, tables,
// queues, worker, AWS access) is read by the composition root and by the CDK app alike; what it
// starts (its handlers, health check, workers) is built from the kernel it is handed. The kernel
// (this folder) names no service: modules come to it, as one list in handlers/modules.ts.
import type { Logger } from './logger.ts';
import type { Config, Env } from './config.ts';
import type { TableSpec } from './store/dynamodb/tables.ts';
import type { Dynamo } from './store/dynamodb/client.ts';
import type { SqliteDatabase } from './store/sqlite/database.ts';
import type { AppStore } from './store/ports.ts';
import type { JobQueue } from './queue/ports.ts';
import type { JobStore } from './jobs/ports.ts';
import type { UsageLedger } from './usage/usage-ledger.ts';
import type { BlobStore } from './blobs/ports.ts';
import type { UsageLimiter } from './usage/usage-limits.ts';
import type { Authenticator, ServiceAppOptions } from './http/service-app.ts';
import type { SigningKeys } from './auth/signing-keys.ts';
import type { AppPrincipal } from './auth/token-verifier.ts';
import type { ApiKeyStore } from './api-keys/ports.ts';
import type { Capabilities, CapabilityName } from './capabilities/registry.ts';
import type { BreakerReport } from './resilience/resilience.ts';

/** AWS access a role needs; the CDK app turns it into least-privilege statements. */
export interface AwsGrants {
  /** Tables (the kernel's or any module's) and the access to each. */
  tables?: Record<string, 'read' | 'readWrite'>;
  queues?: { send?: string[]; consume?: string[] };
  /**
   * Access to things outside the platform's own tables and queues, named for what they allow:
   * `blobs:readWrite` the blob bucket (uploads and results, BLOBS=s3); `textract:analyze` Amazon
   * Textract's document analysis (which reads its input from the blob bucket as the caller);
   * `aoss:vector-stores` OpenSearch Serverless collections and their policies named with the
   * platform's vector prefix (VECTOR_AOSS_PREFIX), control and data plane.
   */
  capabilities?: ('bedrock:invoke' | 'cognito:manage-app-clients' | 'blobs:readWrite' | 'textract:analyze' | 'aoss:vector-stores')[];
}

/** What a service declares about itself. Plain data: the CDK app imports it at synth. */
export interface ModuleDeclaration {
  /** Its name: routes under `/<name>/` (unless `pathPrefix`), spec `generated/openapi/<name>.json`, `SERVICE=<name>`. */
  name: string;
  /** The first path segment of its routes when it is not the name (the OpenAI surface's `v1`). */
  pathPrefix?: string;
  /**
   * Paths outside its prefix that the load balancer (and the gateway, GET only, no authorizer)
   * sends to its tasks on AWS: every process serves the platform's edge routes (the portal at
   * /portal/, the spec list at /openapi/), and one service is named to take them. `/x/*` also
   * routes `/x`.
   */
  edgeRoutes?: string[];
  /**
   * Capabilities it uses (`kernel.capabilities`), provided by modules listed before it. Their
   * providers start in every process that runs it (every module's start runs, whatever
   * SERVICE/WORKER say), so its role's grants must cover what those calls need.
   */
  requires?: CapabilityName[];
  /** Its title in the admin's health overview; a module without one is not listed there. */
  title?: string;
  /** Its SQLite schema, append-only: migration N runs once per database. */
  sqliteMigrations?: string[];
  /**
   * For databases made before each module kept its own schema version (one global list then):
   * how many of this module's migrations a database at that global version already has.
   */
  legacySqliteVersion?: (globalVersion: number) => number;
  /** Its DynamoDB tables (named `<prefix>-<table>`). */
  tables?: Record<string, TableSpec>;
  /** Its job queues (on SQS each gets a dead-letter queue). */
  queues?: string[];
  /** It runs a background worker: in every `npm start`, or alone with `WORKER=<name>`. */
  worker?: boolean;
  /** AWS access of its service role and, when it has a worker (`WORKER=<name>`), its worker role. */
  aws?: { service?: AwsGrants; worker?: AwsGrants };
}

/** What the kernel hands a module when it starts. */
export interface Kernel {
  config: Config;
  log: Logger;
  /** The metadata store this process uses: modules build their own stores on it. */
  store: { kind: 'sqlite'; db: SqliteDatabase } | { kind: 'dynamodb'; dynamo: Dynamo };
  jobs: JobQueue;
  /** Job resources with items and their states (a module's long tasks), on the metadata store. */
  jobStore: JobStore;
  /** Uploaded files and results, with signed upload and download URLs. */
  blobs: BlobStore;
  apps: AppStore;
  /** Every billable event, per app. */
  ledger: UsageLedger;
  /** Per-app limits over the ledger, reserved before a call and settled after it. */
  limiter: UsageLimiter;
  /** Per-app API keys (`gaf_sk_…`): issued by the admin API, checked by the module serving them. */
  apiKeys: ApiKeyStore;
  /** What modules started before this one provide (see `requires`). */
  capabilities: Partial<Capabilities>;
  /** Checks an application's bearer token (for `authenticators: { AppToken }`). */
  verifyAppToken: Authenticator<AppPrincipal>;
  /** Set when the platform issues application tokens itself (local identity, not Cognito). */
  signingKeys?: SigningKeys;
  /** The health checks of every module of the platform (for the admin's overview). */
  health: HealthCheck[];
  /** Answers when the metadata store does. */
  ping(): Promise<void>;
}

export interface HealthCheck {
  serviceName: string;
  check(): Promise<void>;
  /** The circuit breakers guarding the service's upstreams, as they are now in this process. */
  circuitBreakers?(): BreakerReport[];
}

/** A module once started: its HTTP service (if it serves here), health check and shutdown. */
export interface StartedModule {
  service?: Omit<ServiceAppOptions<any>, 'specPath' | 'bodyLimitBytes'>;
  /** Answers when what the service needs does; the store's ping by default. */
  health?: () => Promise<void>;
  /** Its circuit breakers (platform/resilience), for the admin's health overview. */
  circuitBreakers?: () => BreakerReport[];
  /** Fields for the start-up log line (e.g. the models it offers). */
  summary?: Record<string, unknown>;
  /** Lines for the operator's terminal, printed once at start and never logged (they may hold a secret). */
  terminal?: string[];
  /** Warnings about the configuration, logged once at start. */
  warnings?: string[];
  /** Capabilities it offers the modules after it (kernel.capabilities), whether or not it serves here. */
  provides?: Partial<Capabilities>;
  close?(): Promise<void>;
}

export interface ServiceModule<C = unknown> extends ModuleDeclaration {
  /** The bundled spec; `generated/openapi/<name>.json` by default (tests bring their own). */
  specPath?: string;
  /**
   * Its settings, read from the environment at start (before anything starts, whatever this process
   * runs, so a bad value anywhere stops it at once); throws ConfigError naming the variable.
   * Use the helpers of platform/config.ts.
   */
  readConfig?(env: Env): C;
  /** `run.service`: serve its API in this process; `run.worker`: run its background worker here. */
  start(kernel: Kernel, run: { service: boolean; worker: boolean }, config: C): Promise<StartedModule | undefined>;
}
