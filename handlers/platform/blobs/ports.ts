// The blob-store port: objects (uploaded files, extraction and chunking results) by key, read as
// streams, and signed, expiring URLs through which clients upload and download them directly.
// Adapters: files under DATA_DIR with URLs served by the platform (local-blob-store.ts); S3 with
// pre-signed URLs (s3-blob-store.ts). Every call names the application that owns the object: keys
// live in that app's namespace, so one app can never reach another's objects by key.
import type { Readable } from 'node:stream';
import { ProblemError } from '../problems.ts';

export interface BlobInfo {
  size: number;
  /** The type recorded at upload (application/octet-stream when none was given). */
  contentType: string;
  lastModified: Date;
}

export interface BlobObject extends BlobInfo {
  /** The bytes, streamed: never the whole object in memory. */
  body: Readable;
}

export type BlobBody = Uint8Array | string | Readable;

export interface PutOptions {
  contentType?: string;
  /** Refuse (PAYLOAD_TOO_LARGE) a body longer than this, counted as it streams; nothing is stored. */
  maxBytes?: number;
}

export interface UploadUrlOptions {
  /** Largest upload the URL accepts (local: 413 beyond it while streaming; S3: see confirmUpload). */
  maxBytes: number;
  expiresInSeconds: number;
  /** The type to record when the upload carries no Content-Type (local adapter). */
  contentType?: string;
}

export interface DownloadUrlOptions {
  expiresInSeconds: number;
  /** Served as `Content-Disposition: attachment; filename=…`. */
  filename?: string;
  /** The Content-Type to serve when the bytes do not say (local) / to serve (S3). */
  contentType?: string;
}

export interface SignedUrl {
  url: string;
  method: 'PUT' | 'GET';
  expiresAt: Date;
}

export interface BlobStore {
  put(appId: string, key: string, body: BlobBody, options?: PutOptions): Promise<BlobInfo>;
  /** undefined when there is no such object. */
  get(appId: string, key: string): Promise<BlobObject | undefined>;
  head(appId: string, key: string): Promise<BlobInfo | undefined>;
  /** Idempotent: deleting a missing object is no error. */
  delete(appId: string, key: string): Promise<void>;
  /** A URL to which the client PUTs the raw bytes (any or no Content-Type). */
  signedUploadUrl(appId: string, key: string, options: UploadUrlOptions): Promise<SignedUrl>;
  signedDownloadUrl(appId: string, key: string, options: DownloadUrlOptions): Promise<SignedUrl>;
  /**
   * Call before using an object that a client uploaded through a signed URL: S3 cannot bound the
   * size of a pre-signed PUT, so an object over `maxBytes` is deleted here and PAYLOAD_TOO_LARGE
   * thrown. undefined when nothing was uploaded.
   */
  confirmUpload(appId: string, key: string, options: { maxBytes: number }): Promise<BlobInfo | undefined>;
}

/** A body over its limit: nothing was stored (the route closes the connection: the rest is not read). */
export class PayloadTooLarge extends ProblemError {
  constructor(maxBytes: number) {
    super('PAYLOAD_TOO_LARGE', `The upload exceeds the limit of ${maxBytes} bytes.`);
  }
}

/** A key or app id that could escape its namespace or that S3 and a file system would not both take. */
export class InvalidBlobKeyError extends Error {
  override name = 'InvalidBlobKeyError';
}

const APP_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
/** With the app id and its slash, within S3's 1,024-byte key limit. */
export const MAX_KEY_BYTES = 800;
/** S3's limit for one PUT; signed URLs may allow no more. */
export const MAX_OBJECT_BYTES = 5 * 1024 ** 3;
/** SigV4's limit for a pre-signed URL: 7 days. */
export const MAX_URL_SECONDS = 7 * 24 * 3600;

/**
 * Keys are `/`-separated segments: none empty, `.` or `..`; no control characters or backslashes;
 * at most MAX_KEY_BYTES of UTF-8. Throws InvalidBlobKeyError.
 */
export function checkBlobKey(appId: string, key: string): void {
  if (typeof appId !== 'string' || !APP_ID.test(appId)) throw new InvalidBlobKeyError(`Invalid app id for a blob: ${JSON.stringify(appId)}.`);
  if (typeof key !== 'string' || key === '' || Buffer.byteLength(key) > MAX_KEY_BYTES) throw new InvalidBlobKeyError(`A blob key has 1 to ${MAX_KEY_BYTES} bytes.`);
  if (FORBIDDEN.test(key)) throw new InvalidBlobKeyError('A blob key has no control characters or backslashes.');
  if (key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new InvalidBlobKeyError(`Invalid blob key ${JSON.stringify(key)}: empty, "." and ".." segments are not allowed.`);
  }
}

export function checkUrlOptions(options: { expiresInSeconds: number; maxBytes?: number }): void {
  const { expiresInSeconds, maxBytes } = options;
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_URL_SECONDS) {
    throw new RangeError(`expiresInSeconds must be an integer from 1 to ${MAX_URL_SECONDS}`);
  }
  if (maxBytes !== undefined && (!Number.isInteger(maxBytes) || maxBytes < 0 || maxBytes > MAX_OBJECT_BYTES)) {
    throw new RangeError(`maxBytes must be an integer from 0 to ${MAX_OBJECT_BYTES}`);
  }
}

/** A Content-Type or file name worth recording: short, printable. */
export const isPrintable = (value: string | undefined, max = 255): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= max && !CONTROL.test(value);

/** `attachment` with an ASCII fallback name and the exact UTF-8 one (RFC 6266 / 8187). */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
