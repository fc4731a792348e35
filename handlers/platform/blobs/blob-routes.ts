// The local adapter's signed URLs, served by the platform itself: `PUT /blobs/<app>/<key>?…` takes
// the raw bytes (any or no Content-Type, as the seed's SDK sends them), `GET` streams them back.
// These are capability URLs, like S3's pre-signed ones: the signature is the credential, so they
// are in no service spec and need no token. Mount on the edge app before its 404:
// `edge.use(createBlobRoutes(blobs))`.
import express, { type Request, type Response, type Router } from 'express';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { problemErrorHandler } from '../http/error-handler.ts';
import { ProblemError } from '../problems.ts';
import { checkBlobKey, contentDisposition, isPrintable, PayloadTooLarge } from './ports.ts';
import { BLOB_ROUTE_PREFIX, type LocalBlobStore } from './local-blob-store.ts';

/** Bytes beyond the limit still read (and dropped) so that the client gets its 413. */
const DRAIN_BYTES = 1024 * 1024;

const invalid = () => new ProblemError('SIGNED_URL_INVALID', 'This URL is not valid: it names no object this platform signs for.');

export function createBlobRoutes(store: LocalBlobStore): Router {
  const router = express.Router();
  router.use(BLOB_ROUTE_PREFIX, async (req: Request, res: Response) => {
    if (req.method !== 'GET' && req.method !== 'PUT') {
      res.setHeader('allow', 'GET, PUT');
      throw new ProblemError('METHOD_NOT_ALLOWED', 'A signed blob URL takes PUT (upload) or GET (download).');
    }
    // The raw path, not a normalised one: `..` and `%2e%2e` must reach the key check, not vanish.
    const [rawPath = '', rawQuery = ''] = req.url.split('?', 2) as [string, string?];
    let appId: string;
    let key: string;
    try {
      [appId = '', key = ''] = splitPath(rawPath);
      checkBlobKey(appId, key);
    } catch {
      throw invalid();
    }
    const grant = store.signer.verify(req.method, appId, key, new URLSearchParams(rawQuery));

    if (grant.method === 'PUT') {
      const maxBytes = grant.maxBytes!;
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > maxBytes) {
        // A small overage is read and dropped first: closing on a client still sending can reset
        // the connection before it reads the 413. A large one is cut off (Connection: close).
        if (declared - maxBytes > DRAIN_BYTES) {
          res.setHeader('connection', 'close');
          throw new PayloadTooLarge(maxBytes);
        }
        req.resume();
        await once(req, 'end');
        throw new ProblemError('PAYLOAD_TOO_LARGE', new PayloadTooLarge(maxBytes).detail);
      }
      const type = req.headers['content-type'];
      try {
        await store.put(appId, key, req, { contentType: isPrintable(type) ? type : grant.contentType, maxBytes });
      } catch (error) {
        // The uploader went away: nothing was stored, and there is no one to answer.
        if (!(error instanceof ProblemError) && (!res.socket || res.socket.destroyed)) return;
        if (error instanceof PayloadTooLarge) res.setHeader('connection', 'close'); // the rest is not read
        throw error;
      }
      res.status(200).setHeader('cache-control', 'no-store');
      res.end();
      return;
    }

    const blob = await store.open(appId, key);
    if (!blob) throw new ProblemError('BLOB_NOT_FOUND', 'No object at this URL: it was never uploaded, or it has been deleted.');
    res.status(200);
    res.setHeader('content-type', blob.sniffedType ?? grant.contentType ?? blob.contentType);
    res.setHeader('content-length', String(blob.size));
    res.setHeader('last-modified', blob.lastModified.toUTCString());
    res.setHeader('cache-control', 'private, no-store');
    // Uploaded bytes served from the platform's origin: never rendered as active content there.
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('content-security-policy', "sandbox; default-src 'none'");
    if (grant.filename !== undefined) res.setHeader('content-disposition', contentDisposition(grant.filename));
    await pipeline(blob.body, res).catch(() => {
      // The client went away mid-download; the file handle is closed by the pipeline.
    });
  });
  router.use(problemErrorHandler('UNAUTHENTICATED'));
  return router;
}

/** `/<app>/<segment>/…` → [app, key], each segment percent-decoded. */
function splitPath(rawPath: string): [string, string] {
  const [, appId = '', ...segments] = rawPath.split('/').map((segment) => decodeURIComponent(segment));
  return [appId, segments.join('/')];
}
