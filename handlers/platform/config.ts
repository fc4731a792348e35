// Configuration of the kernel: every environment variable it reads, parsed and checked once at start.
// Each module reads its own (ServiceModule.readConfig) with the same helpers. A bad value stops the
// process with one line naming the variable (see ConfigError).
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** The issuer (`iss`) of local access tokens and the base of the discovery URLs. */
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  /** Open connections one client address may hold (0: no cap, as behind a load balancer). */
  maxConnectionsPerClient: number;
  tokenTtlSeconds: number;
  adminUsername: string | undefined;
  adminPassword: string | undefined;
  adminSessionTtlSeconds: number;
  /** Admin sign-in through the Cognito admin pool (as the CDK stack configures it); undefined: password only. */
  adminCognito: AdminCognitoConfig | undefined;
  /** Reverse proxies in front of the platform whose X-Forwarded-For entries are believed (0: none). */
  trustProxyHops: number;
  /** Set the Secure flag on the admin cookie (on whenever PUBLIC_URL is https). */
  secureCookies: boolean;
  /** The environment as given: each module reads its own settings from it (ServiceModule.readConfig). */
  env: Env;
  /** Run only this service (and no workers): one container per service on AWS. */
  service: string | undefined;
  /** Run only this worker (and no service). */
  worker: string | undefined;
  aws: AwsConfig;
}

/** Which adapters back the ports: the embedded defaults, or AWS services (as deployed by infra/). */
export interface AwsConfig {
  /** sqlite (default) or dynamodb: tables named `<prefix>-<table>`. */
  store: { kind: 'sqlite' } | { kind: 'dynamodb'; tablePrefix: string };
  /** sqlite (default) or sqs: queues named `<prefix>-<queue>` and `<prefix>-<queue>-dlq`. */
  queue: { kind: 'sqlite' } | { kind: 'sqs'; queuePrefix: string; waitSeconds: number };
  /** local (default: files in DATA_DIR/blobs, URLs signed and served by the platform) or s3 (pre-signed URLs). */
  blobs: { kind: 'local' } | { kind: 's3'; bucket: string };
  /** local (default: the platform issues tokens) or cognito (the applications' user pool does). */
  identity: { kind: 'local' } | { kind: 'cognito'; userPoolId: string; region: string };
}


export interface AdminCognitoConfig {
  /** The admin portal's app client (public: PKCE, no secret): the ID token's audience. */
  clientId: string;
  /** The pool's issuer; its keys are at `<issuer>/.well-known/jwks.json`. */
  issuer: string;
  /** The hosted domain's token endpoint, where the code is exchanged. */
  tokenUrl: string;
  /** The hosted domain's authorization endpoint, where the portal sends the administrator to sign in. */
  authorizeUrl: string;
}

export class ConfigError extends Error {}

export type Env = Record<string, string | undefined>;

export function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!allowed.includes(raw as T)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

export function url(env: Env, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  try {
    const parsed = new URL(raw);
    if (!['http:', 'https:'].includes(parsed.protocol)) throw new Error();
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

function required(env: Env, name: string, pattern: RegExp, because: string): string {
  const raw = env[name];
  if (!raw) throw new ConfigError(`${name} is required ${because}`);
  if (!pattern.test(raw)) throw new ConfigError(`${name} must match ${pattern}, got "${raw}"`);
  return raw;
}

/** S3 bucket naming rules: 3–63 lowercase letters, digits, dots and hyphens. */
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const RESOURCE_PREFIX = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** Cognito pool ids are "<region>_<id>", e.g. eu-west-1_AbC123xyz. */
const USER_POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d)_[0-9A-Za-z]+$/;

/**
 * On when COGNITO_ADMIN_CLIENT_ID and COGNITO_ADMIN_DOMAIN are set. The issuer is the pool's
 * (from COGNITO_ADMIN_POOL_ID) unless COGNITO_ADMIN_ISSUER names another (tests, a stand-in pool).
 */
function adminCognitoConfig(env: Env): AdminCognitoConfig | undefined {
  if (!env.COGNITO_ADMIN_CLIENT_ID && !env.COGNITO_ADMIN_DOMAIN) return undefined;
  const because = 'for sign-in through the Cognito admin pool (with COGNITO_ADMIN_CLIENT_ID and COGNITO_ADMIN_DOMAIN)';
  const clientId = required(env, 'COGNITO_ADMIN_CLIENT_ID', /^[0-9a-z]{1,128}$/, because);
  required(env, 'COGNITO_ADMIN_DOMAIN', /./, because);
  const domain = url(env, 'COGNITO_ADMIN_DOMAIN', '');
  let issuer: string;
  if (env.COGNITO_ADMIN_ISSUER) {
    issuer = url(env, 'COGNITO_ADMIN_ISSUER', '');
  } else {
    const poolId = required(env, 'COGNITO_ADMIN_POOL_ID', USER_POOL_ID, because);
    issuer = `https://cognito-idp.${USER_POOL_ID.exec(poolId)![1]}.amazonaws.com/${poolId}`;
  }
  return { clientId, issuer, tokenUrl: `${domain}/oauth2/token`, authorizeUrl: `${domain}/oauth2/authorize` };
}

function awsConfig(env: Env): AwsConfig {
  const store = oneOf(env, 'STORE', 'sqlite', ['sqlite', 'dynamodb'] as const);
  const queue = oneOf(env, 'QUEUE', 'sqlite', ['sqlite', 'sqs'] as const);
  const identity = oneOf(env, 'IDENTITY', 'local', ['local', 'cognito'] as const);
  const blobs = oneOf(env, 'BLOBS', 'local', ['local', 's3'] as const);
  const userPoolId = identity === 'cognito' ? required(env, 'COGNITO_USER_POOL_ID', USER_POOL_ID, 'when IDENTITY=cognito') : '';
  return {
    store: store === 'dynamodb'
      ? { kind: 'dynamodb', tablePrefix: required(env, 'DYNAMODB_TABLE_PREFIX', RESOURCE_PREFIX, 'when STORE=dynamodb') }
      : { kind: 'sqlite' },
    queue: queue === 'sqs'
      ? { kind: 'sqs', queuePrefix: required(env, 'SQS_QUEUE_PREFIX', RESOURCE_PREFIX, 'when QUEUE=sqs'), waitSeconds: integer(env, 'SQS_WAIT_SECONDS', 10, 0, 20) }
      : { kind: 'sqlite' },
    blobs: blobs === 's3' ? { kind: 's3', bucket: required(env, 'S3_BUCKET', S3_BUCKET, 'when BLOBS=s3') } : { kind: 'local' },
    identity: identity === 'cognito' ? { kind: 'cognito', userPoolId, region: USER_POOL_ID.exec(userPoolId)![1]! } : { kind: 'local' },
  };
}

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const publicUrl = url(env, 'PUBLIC_URL', `http://localhost:${port || 8080}`);
  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && adminPassword.length < 12) {
    throw new ConfigError('ADMIN_PASSWORD must be at least 12 characters');
  }
  if (env.SERVICE && env.WORKER) throw new ConfigError('SERVICE and WORKER are exclusive: a process runs one service, one worker, or (neither set) everything');
  return {
    port,
    host: env.HOST || '0.0.0.0',
    dataDir: resolve(env.DATA_DIR || '.data'),
    publicUrl,
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    maxConnectionsPerClient: integer(env, 'MAX_CONNECTIONS_PER_CLIENT', 256, 0, 100_000),
    tokenTtlSeconds: integer(env, 'TOKEN_TTL_SECONDS', 3600, 60, 86400),
    adminUsername: env.ADMIN_USERNAME || undefined,
    adminPassword,
    adminSessionTtlSeconds: integer(env, 'ADMIN_SESSION_TTL_SECONDS', 8 * 3600, 60, 7 * 86400),
    adminCognito: adminCognitoConfig(env),
    trustProxyHops: integer(env, 'TRUST_PROXY_HOPS', 0, 0, 10),
    secureCookies: publicUrl.startsWith('https:'),
    // Checked against the modules when the platform is built: the kernel does not know them.
    service: env.SERVICE || undefined,
    worker: env.WORKER || undefined,
    aws: awsConfig(env),
    env,
  };
}
