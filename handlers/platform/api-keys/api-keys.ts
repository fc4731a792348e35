// Issuing and checking API keys. A key is `gaf_sk_` + 256 random bits (base64url), shown once;
// the store keeps its sha256 and its prefix. A key is accepted while it is not revoked, not
// expired, and its application exists and is active — checked on every request, so deactivating
// or deleting the app refuses its keys at once.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Request } from 'express';
import { ProblemError } from '../problems.ts';
import { sha256 } from '../auth/secrets.ts';
import type { AppLimits, AppRecord, AppStore } from '../store/ports.ts';
import type { ApiKeyRecord, ApiKeyStore } from './ports.ts';

export const API_KEY_PREFIX = 'gaf_sk_';
/** Characters of a key kept in clear for lists: the scheme and 6 random characters (36 bits). */
const SHOWN_CHARS = API_KEY_PREFIX.length + 6;

/** Who calls with an API key: its app (with its limits) and what the key allows. */
export interface ApiKeyPrincipal {
  appId: string;
  clientId: string;
  keyId: string;
  limits: AppLimits;
  /** null: every model. */
  models: string[] | null;
}

export interface NewApiKey {
  name: string;
  models: string[] | null;
  expiresAt: string | null;
}

export async function issueApiKey(keys: ApiKeyStore, app: AppRecord, request: NewApiKey): Promise<{ record: ApiKeyRecord; key: string }> {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record: ApiKeyRecord = {
    keyId: randomUUID(),
    appId: app.appId,
    clientId: app.clientId,
    name: request.name,
    prefix: key.slice(0, SHOWN_CHARS),
    hash: sha256(key),
    models: request.models,
    createdAt: new Date().toISOString(),
    expiresAt: request.expiresAt,
    revokedAt: null,
  };
  await keys.create(record);
  return { record, key };
}

const invalidKey = (detail: string) => new ProblemError('INVALID_API_KEY', detail);

/** An authenticator (`authenticators: { ApiKey }`) for `Authorization: Bearer gaf_sk_…`. */
export function createApiKeyVerifier({ keys, apps }: { keys: ApiKeyStore; apps: Pick<AppStore, 'findByClientId'> }) {
  return async function verify(req: Request): Promise<ApiKeyPrincipal> {
    const match = req.headers.authorization?.match(/^Bearer (\S+)$/i);
    if (!match) throw new ProblemError('UNAUTHENTICATED', `Send an API key as \`Authorization: Bearer ${API_KEY_PREFIX}…\`.`);
    const key = match[1]!;
    if (!key.startsWith(API_KEY_PREFIX)) throw invalidKey(`This is not an API key of this platform (they start with ${API_KEY_PREFIX}).`);
    const record = await keys.findByHash(sha256(key));
    if (!record) throw invalidKey('The API key is not valid.');
    if (record.revokedAt !== null) throw invalidKey('The API key has been revoked.');
    if (record.expiresAt !== null && Date.parse(record.expiresAt) <= Date.now()) throw invalidKey('The API key has expired.');
    const app = await apps.findByClientId(record.clientId);
    if (!app || app.appId !== record.appId) throw invalidKey('The application of this API key no longer exists.');
    if (app.status !== 'active') throw new ProblemError('APP_INACTIVE', 'This application is deactivated; ask an administrator to activate it.');
    req.res!.locals.appId = app.appId;
    return { appId: app.appId, clientId: app.clientId, keyId: record.keyId, limits: app.limits, models: record.models };
  };
}
