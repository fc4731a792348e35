// Credentials at rest. Client secrets are 256-bit random values, so one SHA-256 is enough to make
// a stolen database useless (no dictionary to try); admin passwords are chosen by people, so they
// get scrypt, which makes guessing expensive.
import { createHash, randomBytes, randomUUID, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Semaphore } from '../semaphore.ts';

/**
 * scrypt runs on libuv's thread pool (4 threads by default), which also signs and verifies tokens
 * (WebCrypto) and reads files. Unbounded, 300 concurrent logins queued ahead of every token
 * request; so at most HASHING_SLOTS hashes run at once, HASHING_QUEUE more wait, and the rest are
 * refused (QueueFullError) for the caller to answer 429.
 */
export const HASHING_SLOTS = 2;
export const HASHING_QUEUE = 16;
const hashing = new Semaphore(HASHING_SLOTS, HASHING_QUEUE);

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  hashing.run(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scryptCallback(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))),
      ),
  );

const SCRYPT = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

export const newAppId = () => randomUUID();
export const newClientId = () => `gaf_${randomBytes(12).toString('base64url')}`;
export const newClientSecret = () => randomBytes(32).toString('base64url');
export const newSessionToken = () => randomBytes(32).toString('base64url');

export const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

export const hashClientSecret = (secret: string) => `sha256$${sha256(secret)}`;

export function verifyClientSecret(secret: string, stored: string): boolean {
  return safeEqual(hashClientSecret(secret), stored);
}

const formatHash = (salt: Buffer, key: Buffer) =>
  `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return formatHash(salt, await scrypt(password, salt, KEY_LENGTH, SCRYPT));
}

/** A hash no password matches that costs as much to check as a real one (for unknown usernames). */
export const decoyPasswordHash = () => formatHash(randomBytes(16), randomBytes(KEY_LENGTH));

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
