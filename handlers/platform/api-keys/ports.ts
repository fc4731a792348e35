// Per-application API keys (`gaf_sk_…`): the alternative to OAuth tokens for the OpenAI-compatible
// routes. Only a hash of a key is stored (sha256: keys are 256-bit random, so no dictionary helps);
// its first characters are kept to tell keys apart in lists. Adapters: SQLite and DynamoDB.

export interface ApiKeyRecord {
  keyId: string;
  appId: string;
  /** The app's client id (immutable): the per-request app check is the token check's cached lookup. */
  clientId: string;
  name: string;
  /** The key's first characters, shown in lists (`gaf_sk_AbCdEf`). */
  prefix: string;
  /** sha256 of the whole key. */
  hash: string;
  /** The models this key may call; null: every model the platform offers. */
  models: string[] | null;
  createdAt: string;
  /** After this instant the key is refused; null: never expires. */
  expiresAt: string | null;
  /** Set once; a revoked key is refused at once. */
  revokedAt: string | null;
}

export interface ApiKeyStore {
  create(key: ApiKeyRecord): Promise<void>;
  /** The key with this hash, revoked or not. */
  findByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  /** The app's keys, oldest first. */
  listByApp(appId: string): Promise<ApiKeyRecord[]>;
  /** Marks the app's key revoked (keeping the first revocation time); undefined when the app has no such key. */
  revoke(appId: string, keyId: string, at: string): Promise<ApiKeyRecord | undefined>;
}
