// Signed, expiring blob URLs for the local adapter: an HMAC-SHA256 over the method, the app and
// key, the expiry and the upload limit (and the served type and file name), so none of them can
// be changed without the signature failing. The HMAC key is derived (HKDF) from a random secret
// created on first start in DATA_DIR (0600), so URLs stay valid across restarts.
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProblemError } from '../problems.ts';

export const SECRET_FILE = 'blob-url-secret';
const SECRET_BYTES = 32;
const VERSION = 'gaf-blob-v1';

/** What a URL grants; every field is covered by the signature. */
export interface BlobGrant {
  method: 'PUT' | 'GET';
  appId: string;
  key: string;
  /** Unix seconds after which the URL is refused. */
  expires: number;
  /** PUT: the largest body accepted. */
  maxBytes?: number;
  /** PUT: the type recorded when the upload has none; GET: the type served when the bytes show none. */
  contentType?: string;
  /** GET: served as the attachment's file name. */
  filename?: string;
}

const PARAMS = { expires: 'expires', maxBytes: 'max_bytes', contentType: 'type', filename: 'filename', signature: 'signature' } as const;
const ALLOWED = new Set(Object.values(PARAMS));
const INTEGER = /^[0-9]{1,13}$/;

const invalid = () => new ProblemError('SIGNED_URL_INVALID', 'This URL is not valid: its signature does not match (was it changed?).');

/** Reads the secret, or creates it (0600) if this is the first start; two racing starts agree on one. */
export function loadOrCreateUrlSecret(dataDir: string): Buffer {
  const file = join(dataDir, SECRET_FILE);
  try {
    writeFileSync(file, randomBytes(SECRET_BYTES).toString('base64'), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (secret.length !== SECRET_BYTES) throw new Error(`${file} is damaged: delete it to create a new one (outstanding blob URLs stop working)`);
  return secret;
}

export class UrlSigner {
  readonly #key: Buffer;

  constructor(secret: Buffer) {
    this.#key = Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), VERSION, 32));
  }

  /** The query string (without `?`) that carries the grant and its signature. */
  sign(grant: BlobGrant): string {
    const query = new URLSearchParams({ [PARAMS.expires]: String(grant.expires) });
    if (grant.maxBytes !== undefined) query.set(PARAMS.maxBytes, String(grant.maxBytes));
    if (grant.contentType !== undefined) query.set(PARAMS.contentType, grant.contentType);
    if (grant.filename !== undefined) query.set(PARAMS.filename, grant.filename);
    query.set(PARAMS.signature, this.#mac(grant).toString('base64url'));
    return query.toString();
  }

  /**
   * The grant a request carries, if its signature holds (compared in constant time) and it has
   * not expired; else SIGNED_URL_INVALID or SIGNED_URL_EXPIRED.
   */
  verify(method: string, appId: string, key: string, query: URLSearchParams, nowMs = Date.now()): BlobGrant {
    const names = [...query.keys()];
    if (names.some((name) => !ALLOWED.has(name as never)) || new Set(names).size !== names.length) throw invalid();
    const expires = query.get(PARAMS.expires);
    const maxBytes = query.get(PARAMS.maxBytes);
    const signature = query.get(PARAMS.signature);
    if (!expires || !INTEGER.test(expires) || !signature || (maxBytes !== null && !INTEGER.test(maxBytes))) throw invalid();
    if (method !== 'PUT' && method !== 'GET') throw invalid();
    const grant: BlobGrant = {
      method,
      appId,
      key,
      expires: Number(expires),
      ...(maxBytes !== null && { maxBytes: Number(maxBytes) }),
      ...(query.has(PARAMS.contentType) && { contentType: query.get(PARAMS.contentType)! }),
      ...(query.has(PARAMS.filename) && { filename: query.get(PARAMS.filename)! }),
    };
    // An upload URL without a limit is never issued, so one cannot be made by dropping it.
    if ((method === 'PUT') !== (grant.maxBytes !== undefined) || (method === 'PUT' && grant.filename !== undefined)) throw invalid();
    // Compared as the text that was issued: decoding first would accept other spellings of the same
    // bytes (base64url's spare low bits of the last character, characters the decoder skips).
    const given = Buffer.from(signature);
    const expected = Buffer.from(this.#mac(grant).toString('base64url'));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    if (nowMs > grant.expires * 1000) throw new ProblemError('SIGNED_URL_EXPIRED', 'This URL has expired: ask the API for a new one.');
    return grant;
  }

  #mac(grant: BlobGrant): Buffer {
    const fields = [VERSION, grant.method, grant.appId, grant.key, grant.expires, grant.maxBytes ?? null, grant.contentType ?? null, grant.filename ?? null];
    return createHmac('sha256', this.#key).update(JSON.stringify(fields)).digest();
  }
}
