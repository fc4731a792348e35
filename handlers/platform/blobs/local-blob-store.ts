// The embedded blob store: one file per object under DATA_DIR/blobs/<app id>/, named by a hash of
// the key (so no key, however spelt, reaches outside its app's folder, and `a/b` and `a/b/c` can
// coexist as on S3). A file is a one-line JSON header (key, content type) and then the bytes. It
// is written to blobs/.tmp/, flushed, and renamed into place: a crash leaves no half object
// visible. Folders are 0700 and files 0600. Signed URLs point at the platform's own /blobs routes
// (blob-routes.ts), signed with HMAC-SHA256 (url-signer.ts).
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PRIVATE_DIR } from '../data-dir.ts';
import {
  checkBlobKey,
  checkUrlOptions,
  isPrintable,
  PayloadTooLarge,
  type BlobBody,
  type BlobInfo,
  type BlobObject,
  type BlobStore,
  type DownloadUrlOptions,
  type PutOptions,
  type SignedUrl,
  type UploadUrlOptions,
} from './ports.ts';
import { SNIFF_BYTES, sniffContentType } from './sniff.ts';
import { UrlSigner, loadOrCreateUrlSecret } from './url-signer.ts';

/** Where the platform serves the local adapter's signed URLs (blob-routes.ts). */
export const BLOB_ROUTE_PREFIX = '/blobs';
const MAGIC = 'gaf-blob 1 ';
const HEADER_MAX = 4096;
const OCTET_STREAM = 'application/octet-stream';
/** Temporary files older than this are left-overs of a crash. */
const STALE_TMP_MS = 24 * 3600 * 1000;

export interface LocalBlobStoreOptions {
  /** DATA_DIR: objects go to <dataDir>/blobs, the URL secret to <dataDir>/blob-url-secret. */
  dataDir: string;
  /** PUBLIC_URL: signed URLs are `<publicUrl>/blobs/<app>/<key>?…`. */
  publicUrl: string;
}

/** An object opened for a download: its bytes, and the type they show. */
export interface OpenedBlob extends BlobObject {
  /** The type sniffed from the bytes, if they show one. */
  sniffedType: string | undefined;
}

export class LocalBlobStore implements BlobStore {
  readonly #root: string;
  readonly #tmp: string;
  readonly #baseUrl: string;
  readonly signer: UrlSigner;

  constructor(options: LocalBlobStoreOptions) {
    this.#root = join(options.dataDir, 'blobs');
    this.#tmp = join(this.#root, '.tmp');
    this.#baseUrl = `${options.publicUrl.replace(/\/+$/, '')}${BLOB_ROUTE_PREFIX}`;
    mkdirSync(this.#tmp, { recursive: true, mode: PRIVATE_DIR });
    this.signer = new UrlSigner(loadOrCreateUrlSecret(options.dataDir));
    this.#removeStaleTemporaries();
  }

  async put(appId: string, key: string, body: BlobBody, options: PutOptions = {}): Promise<BlobInfo> {
    checkBlobKey(appId, key);
    const contentType = isPrintable(options.contentType) ? options.contentType : OCTET_STREAM;
    const header = Buffer.from(`${MAGIC}${JSON.stringify({ key, contentType })}\n`);
    const source = typeof body === 'string' || body instanceof Uint8Array ? Readable.from([Buffer.from(body)]) : body;
    const temporary = join(this.#tmp, randomUUID());
    try {
      const out = createWriteStream(temporary, { flags: 'wx', mode: 0o600 });
      out.write(header);
      await pipeline(source, limit(options.maxBytes), out);
      const written = await open(temporary, 'r');
      await written.sync().finally(() => written.close()); // on disk before it becomes visible
      const target = this.#path(appId, key);
      await mkdir(join(target, '..'), { recursive: true, mode: PRIVATE_DIR });
      await rename(temporary, target);
      const stats = await stat(target);
      return { size: stats.size - header.length, contentType, lastModified: stats.mtime };
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(appId: string, key: string): Promise<BlobObject | undefined> {
    const opened = await this.open(appId, key);
    if (!opened) return undefined;
    const { sniffedType: _, ...object } = opened;
    return object;
  }

  /** The object's bytes and what they look like, for the download route. */
  async open(appId: string, key: string): Promise<OpenedBlob | undefined> {
    return this.#open(appId, key, true) as Promise<OpenedBlob | undefined>;
  }

  async #open(appId: string, key: string, withBody: boolean): Promise<BlobInfo | OpenedBlob | undefined> {
    checkBlobKey(appId, key);
    let file: FileHandle;
    try {
      file = await open(this.#path(appId, key), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const stats = await file.stat();
      const prefix = Buffer.alloc(Math.min(stats.size, HEADER_MAX + (withBody ? SNIFF_BYTES : 0)));
      const { bytesRead } = await file.read(prefix, 0, prefix.length, 0);
      const { contentType, dataStart } = parseHeader(prefix.subarray(0, bytesRead));
      if (!withBody) {
        await file.close();
        return { size: stats.size - dataStart, contentType, lastModified: stats.mtime };
      }
      // The open file stays readable even if the object is replaced or deleted meanwhile.
      const body = file.createReadStream({ start: dataStart, autoClose: true });
      return {
        body,
        size: stats.size - dataStart,
        contentType,
        lastModified: stats.mtime,
        sniffedType: sniffContentType(prefix.subarray(dataStart, bytesRead)),
      };
    } catch (error) {
      await file.close();
      throw error;
    }
  }

  async head(appId: string, key: string): Promise<BlobInfo | undefined> {
    return this.#open(appId, key, false);
  }

  async delete(appId: string, key: string): Promise<void> {
    checkBlobKey(appId, key);
    await rm(this.#path(appId, key), { force: true });
  }

  async signedUploadUrl(appId: string, key: string, options: UploadUrlOptions): Promise<SignedUrl> {
    checkBlobKey(appId, key);
    checkUrlOptions(options);
    const contentType = isPrintable(options.contentType) ? options.contentType : undefined;
    return this.#signed({ method: 'PUT', appId, key, maxBytes: options.maxBytes, contentType }, options.expiresInSeconds);
  }

  async signedDownloadUrl(appId: string, key: string, options: DownloadUrlOptions): Promise<SignedUrl> {
    checkBlobKey(appId, key);
    checkUrlOptions(options);
    if (options.filename !== undefined && !isPrintable(options.filename)) throw new RangeError('filename must be 1 to 255 printable characters');
    const contentType = isPrintable(options.contentType) ? options.contentType : undefined;
    return this.#signed({ method: 'GET', appId, key, filename: options.filename, contentType }, options.expiresInSeconds);
  }

  async confirmUpload(appId: string, key: string, options: { maxBytes: number }): Promise<BlobInfo | undefined> {
    const info = await this.head(appId, key);
    if (info && info.size > options.maxBytes) {
      await this.delete(appId, key);
      throw new PayloadTooLarge(options.maxBytes);
    }
    return info;
  }

  /** The URL path of an object under baseUrl: `/<app>/<segment>/<segment>`, each segment encoded. */
  static urlPath(appId: string, key: string): string {
    return `/${appId}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  #signed(grant: { method: 'PUT' | 'GET'; appId: string; key: string; maxBytes?: number; contentType?: string | undefined; filename?: string | undefined }, seconds: number): SignedUrl {
    const expires = Math.floor(Date.now() / 1000) + seconds;
    const query = this.signer.sign({
      method: grant.method,
      appId: grant.appId,
      key: grant.key,
      expires,
      ...(grant.maxBytes !== undefined && { maxBytes: grant.maxBytes }),
      ...(grant.contentType !== undefined && { contentType: grant.contentType }),
      ...(grant.filename !== undefined && { filename: grant.filename }),
    });
    return { url: `${this.#baseUrl}${LocalBlobStore.urlPath(grant.appId, grant.key)}?${query}`, method: grant.method, expiresAt: new Date(expires * 1000) };
  }

  #path(appId: string, key: string): string {
    const hash = createHash('sha256').update(key).digest('hex');
    return join(this.#root, appId, hash.slice(0, 2), hash);
  }

  #removeStaleTemporaries(): void {
    for (const name of readdirSync(this.#tmp)) {
      const path = join(this.#tmp, name);
      try {
        if (Date.now() - statSync(path).mtimeMs > STALE_TMP_MS) rmSync(path, { force: true });
      } catch {
        // gone already
      }
    }
  }
}

function parseHeader(prefix: Buffer): { contentType: string; dataStart: number } {
  const end = prefix.indexOf(0x0a);
  const line = end > 0 ? prefix.subarray(0, end).toString('utf8') : '';
  if (!line.startsWith(MAGIC)) throw new Error('blob file without a header');
  const { contentType } = JSON.parse(line.slice(MAGIC.length)) as { contentType: string };
  return { contentType, dataStart: end + 1 };
}

/** Passes bytes through, failing with PAYLOAD_TOO_LARGE as soon as more than maxBytes have come. */
function limit(maxBytes: number | undefined): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (maxBytes !== undefined && seen > maxBytes) done(new PayloadTooLarge(maxBytes));
      else done(null, chunk);
    },
  });
}
