// The local issuer's RS256 key pair, created on first start and kept in DATA_DIR (mode 0600), so
// tokens stay valid across restarts. RS256 matches what Cognito issues on AWS.
import { exportJWK, generateKeyPair, importJWK, calculateJwkThumbprint, type JWK, type CryptoKey } from 'jose';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config.ts';

export const SIGNING_ALGORITHM = 'RS256';

export interface SigningKeys {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function loadOrCreateSigningKeys(dataDir: string): Promise<SigningKeys> {
  const file = join(dataDir, 'signing-key.jwk.json');
  if (!existsSync(file)) return keysFrom(await createKey(file));
  try {
    return await keysFrom(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new ConfigError(
      `the token-signing key ${file} is unreadable (${(error as Error).message.split('\n')[0]}); ` +
        'restore it from a backup, or move it away to make a new one (tokens signed with the old key then stop working)',
    );
  }
}

async function createKey(file: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true, modulusLength: 2048 });
  const privateJwk = await exportJWK(privateKey);
  writeFileSync(file, JSON.stringify(privateJwk), { mode: 0o600, flag: 'wx' });
  return privateJwk;
}

async function keysFrom(privateJwk: JWK): Promise<SigningKeys> {
  const { kty, n, e } = privateJwk;
  const publicJwk: JWK = { kty, n, e };
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    privateKey: (await importJWK(privateJwk, SIGNING_ALGORITHM)) as CryptoKey,
    publicJwk: { ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' },
  };
}
