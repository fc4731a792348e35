// The blob store on AWS: one S3 bucket, objects at `<app id>/<key>`, and pre-signed URLs.
//
// Uploads use a pre-signed PUT, because that is what the seed's SDK sends
// (`requests.put(upload_url, data=bytes)`, no Content-Type, no form). A pre-signed POST policy could
// bound the size with content-length-range, but it needs a multipart form the SDK does not send; a
// PUT can only pin an exact Content-Length, which is unknown when the URL is issued. So S3 takes
// the upload whatever its size (up to its own 5 GB) and `confirmUpload` enforces `maxBytes`
// afterwards: an object over it is deleted and refused before anything reads it.
//
// The client must not add flexible checksums to presigned requests (SDK default since 3.729:
// a CRC32 of the *empty* body, signed into the URL, which S3 then finds wrong for the real bytes):
// createS3Client() sets requestChecksumCalculation to WHEN_REQUIRED.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import {
  checkBlobKey,
  checkUrlOptions,
  contentDisposition,
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

const OCTET_STREAM = 'application/octet-stream';

export function createS3Client(config: S3ClientConfig = {}): S3Client {
  return new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED', ...config });
}

const isNotFound = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
};

export class S3BlobStore implements BlobStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(appId: string, key: string, body: BlobBody, options: PutOptions = {}): Promise<BlobInfo> {
    const Key = objectKey(appId, key);
    // PutObject needs the length up front: a stream is gathered first (bounded by maxBytes).
    // Large uploads come through signed URLs, straight to S3.
    const bytes = typeof body === 'string' || body instanceof Uint8Array ? Buffer.from(body) : await gather(body, options.maxBytes);
    if (options.maxBytes !== undefined && bytes.length > options.maxBytes) throw new PayloadTooLarge(options.maxBytes);
    const contentType = isPrintable(options.contentType) ? options.contentType : OCTET_STREAM;
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: bytes, ContentLength: bytes.length, ContentType: contentType }));
    return { size: bytes.length, contentType, lastModified: new Date() };
  }

  async get(appId: string, key: string): Promise<BlobObject | undefined> {
    const Key = objectKey(appId, key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
      return {
        body: out.Body as Readable,
        size: out.ContentLength ?? 0,
        contentType: out.ContentType ?? OCTET_STREAM,
        lastModified: out.LastModified ?? new Date(0),
      };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async head(appId: string, key: string): Promise<BlobInfo | undefined> {
    const Key = objectKey(appId, key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key }));
      return { size: out.ContentLength ?? 0, contentType: out.ContentType ?? OCTET_STREAM, lastModified: out.LastModified ?? new Date(0) };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async delete(appId: string, key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: objectKey(appId, key) }));
  }

  async signedUploadUrl(appId: string, key: string, options: UploadUrlOptions): Promise<SignedUrl> {
    const Key = objectKey(appId, key);
    checkUrlOptions(options);
    // Nothing but the host is signed as a header, so a bare PUT of the bytes matches the signature.
    const url = await getSignedUrl(this.client, new PutObjectCommand({ Bucket: this.bucket, Key }), { expiresIn: options.expiresInSeconds });
    if (/[?&]x-amz-(sdk-)?checksum/i.test(url)) {
      throw new Error('S3BlobStore needs a client from createS3Client(): this one signs a checksum of an empty body into upload URLs, which S3 refuses');
    }
    return { url, method: 'PUT', expiresAt: new Date(Date.now() + options.expiresInSeconds * 1000) };
  }

  async signedDownloadUrl(appId: string, key: string, options: DownloadUrlOptions): Promise<SignedUrl> {
    const Key = objectKey(appId, key);
    checkUrlOptions(options);
    if (options.filename !== undefined && !isPrintable(options.filename)) throw new RangeError('filename must be 1 to 255 printable characters');
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key,
      ...(options.filename !== undefined && { ResponseContentDisposition: contentDisposition(options.filename) }),
      ...(isPrintable(options.contentType) && { ResponseContentType: options.contentType }),
    });
    const url = await getSignedUrl(this.client, command, { expiresIn: options.expiresInSeconds });
    return { url, method: 'GET', expiresAt: new Date(Date.now() + options.expiresInSeconds * 1000) };
  }

  async confirmUpload(appId: string, key: string, options: { maxBytes: number }): Promise<BlobInfo | undefined> {
    const info = await this.head(appId, key);
    if (info && info.size > options.maxBytes) {
      await this.delete(appId, key);
      throw new PayloadTooLarge(options.maxBytes);
    }
    return info;
  }
}

/** `<app id>/<key>`: the app's namespace in the bucket. */
function objectKey(appId: string, key: string): string {
  checkBlobKey(appId, key);
  return `${appId}/${key}`;
}

async function gather(stream: Readable, maxBytes: number | undefined): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (maxBytes !== undefined && size > maxBytes) {
      stream.destroy();
      throw new PayloadTooLarge(maxBytes);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
