// The local blob store: the shared contract, then what only it does: files under DATA_DIR with
// private modes and atomic writes, its own signed URLs served by the platform (problem+json on
// every refusal, sniffed Content-Type, limits counted while streaming), and its persisted secret.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import express from 'express';
import { createLogger } from '../../handlers/platform/logger.ts';
import { withRequestContext } from '../../handlers/platform/http/request-context.ts';
import { LocalBlobStore } from '../../handlers/platform/blobs/local-blob-store.ts';
import { createBlobRoutes } from '../../handlers/platform/blobs/blob-routes.ts';
import { SECRET_FILE } from '../../handlers/platform/blobs/url-signer.ts';
import { blobContract } from './blob-contract.ts';

interface Served {
  store: LocalBlobStore;
  dir: string;
  base: string;
  close(): Promise<void>;
}

/** A LocalBlobStore and its routes on a loopback port, mounted as the platform's edge app would. */
async function serve(dir = mkdtempSync(join(tmpdir(), 'gaf-blobs-'))): Promise<Served> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const store = new LocalBlobStore({ dataDir: dir, publicUrl: base });
  const edge = express();
  edge.disable('x-powered-by');
  edge.use(createBlobRoutes(store));
  server.on('request', withRequestContext(createLogger('silent'), edge, { trustProxyHops: 0 }));
  return {
    store,
    dir,
    base,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

blobContract('local files', async () => {
  const s = await serve();
  return {
    store: s.store,
    refusesOversizeUploads: true,
    verifiesSignatures: true,
    async close() {
      await s.close();
      rmSync(s.dir, { recursive: true, force: true });
    },
  };
});

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const mode = (path: string) => statSync(path).mode & 0o777;
const problemOf = async (res: Response) => {
  assert.equal(res.headers.get('content-type'), 'application/problem+json');
  return (await res.json()) as { code: string; status: number };
};

describe('local blob store: files, routes, secret', () => {
  let s: Served;
  before(async () => (s = await serve()));
  after(async () => {
    await s.close();
    rmSync(s.dir, { recursive: true, force: true });
  });

  it('keeps objects under DATA_DIR/blobs/<app>, folders 0700, files and the URL secret 0600', async () => {
    await s.store.put('app-a', 'x/y.txt', 'private');
    const appDir = join(s.dir, 'blobs', 'app-a');
    const [bucket] = readdirSync(appDir);
    const [file] = readdirSync(join(appDir, bucket!));
    assert.equal(mode(join(s.dir, 'blobs')), 0o700);
    assert.equal(mode(appDir), 0o700);
    assert.equal(mode(join(appDir, bucket!)), 0o700);
    assert.equal(mode(join(appDir, bucket!, file!)), 0o600);
    assert.equal(mode(join(s.dir, SECRET_FILE)), 0o600);
  });

  it('a stream that fails half-way leaves no object and no temporary file', async () => {
    await s.store.put('app-a', 'half', 'whole');
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024));
        this.destroy(new Error('disk pulled'));
      },
    });
    await assert.rejects(s.store.put('app-a', 'half', failing), /disk pulled/);
    await assert.rejects(s.store.put('app-a', 'half-new', new Readable({ read() { this.destroy(new Error('gone')); } })), /gone/);
    assert.equal(Buffer.concat(await (await s.store.get('app-a', 'half'))!.body.toArray()).toString(), 'whole');
    assert.equal(await s.store.head('app-a', 'half-new'), undefined);
    assert.deepEqual(readdirSync(join(s.dir, 'blobs', '.tmp')), []);
  });

  it('GET serves the type the bytes show, else the one given, else application/octet-stream; never active content', async () => {
    const up = async (key: string, body: Uint8Array<ArrayBuffer>, contentType?: string) => {
      const url = (await s.store.signedUploadUrl('app-a', key, { maxBytes: 10_000, expiresInSeconds: 60 })).url;
      const res = await fetch(url, { method: 'PUT', body, ...(contentType && { headers: { 'content-type': contentType } }) });
      assert.equal(res.status, 200);
    };
    const typeOf = async (key: string, contentType?: string) => {
      const res = await fetch((await s.store.signedDownloadUrl('app-a', key, { expiresInSeconds: 60, ...(contentType && { contentType }) })).url);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.match(res.headers.get('content-security-policy') ?? '', /sandbox/);
      assert.equal(res.headers.get('cache-control'), 'private, no-store');
      await res.arrayBuffer();
      return res.headers.get('content-type');
    };
    await up('t/png-said-text', PNG, 'text/plain');
    assert.equal(await typeOf('t/png-said-text'), 'image/png', 'the bytes win over the uploader');
    await up('t/said-csv', Buffer.from('a,b\n1,2\n'), 'text/csv');
    assert.equal(await typeOf('t/said-csv'), 'text/csv');
    assert.equal(await typeOf('t/said-csv', 'text/plain'), 'text/plain', "the download URL's type before the recorded one");
    await up('t/nothing', Buffer.from('just bytes'));
    assert.equal(await typeOf('t/nothing'), 'application/octet-stream');
    // An upload URL can name the type to record when the upload carries none.
    const url = (await s.store.signedUploadUrl('app-a', 't/typed-url', { maxBytes: 100, expiresInSeconds: 60, contentType: 'text/markdown' })).url;
    assert.equal((await fetch(url, { method: 'PUT', body: Buffer.from('# hi') })).status, 200);
    assert.equal((await s.store.head('app-a', 't/typed-url'))?.contentType, 'text/markdown');
  });

  it('answers every refusal as application/problem+json with its code', async () => {
    await s.store.put('app-a', 'p/doc', 'x');
    const download = (await s.store.signedDownloadUrl('app-a', 'p/doc', { expiresInSeconds: 60 })).url;
    const tampered = download.replace(/signature=[^&]+/, 'signature=' + 'A'.repeat(43));
    assert.deepEqual(await problemOf(await fetch(tampered)).then((p) => [p.status, p.code]), [403, 'SIGNED_URL_INVALID']);
    // Another spelling of the same bytes: the last of 43 base64url characters carries 2 spare bits.
    const respelled = download.replace(/signature=([^&]+)/, (_m, sig: string) => {
      const last = BASE64URL.indexOf(sig.at(-1)!);
      return `signature=${sig.slice(0, -1)}${BASE64URL[last ^ 1]}`;
    });
    assert.equal((await problemOf(await fetch(respelled))).code, 'SIGNED_URL_INVALID', 'only the signature as issued is accepted');
    const longer = download.replace(/expires=(\d+)/, (_m, e) => `expires=${Number(e) + 3600}`);
    assert.equal((await problemOf(await fetch(longer))).code, 'SIGNED_URL_INVALID', 'the expiry is signed');
    assert.equal((await problemOf(await fetch(`${download}&extra=1`))).code, 'SIGNED_URL_INVALID');
    assert.equal((await problemOf(await fetch(`${s.base}/blobs/app-a/p/doc`))).code, 'SIGNED_URL_INVALID');
    assert.equal((await problemOf(await fetch(download, { method: 'POST', body: 'x' }))).code, 'METHOD_NOT_ALLOWED');

    await s.store.delete('app-a', 'p/doc');
    const gone = await fetch(download);
    assert.equal(gone.status, 404);
    assert.equal((await problemOf(gone)).code, 'BLOB_NOT_FOUND');

    const upload = (await s.store.signedUploadUrl('app-a', 'p/up', { maxBytes: 10, expiresInSeconds: 60 })).url;
    const bigger = upload.replace(/max_bytes=10/, 'max_bytes=1000000');
    assert.equal((await problemOf(await fetch(bigger, { method: 'PUT', body: Buffer.alloc(20) }))).code, 'SIGNED_URL_INVALID', 'the limit is signed');
    const unlimited = upload.replace(/&?max_bytes=10/, '');
    assert.equal((await problemOf(await fetch(unlimited, { method: 'PUT', body: Buffer.alloc(20) }))).code, 'SIGNED_URL_INVALID');
    const tooBig = await fetch(upload, { method: 'PUT', body: Buffer.alloc(11) });
    assert.deepEqual(await problemOf(tooBig).then((p) => [p.status, p.code]), [413, 'PAYLOAD_TOO_LARGE']);

  });

  it('an expired URL is SIGNED_URL_EXPIRED; the expiry is checked against the clock, to the second', async () => {
    const query = (expires: number) => new URLSearchParams(s.store.signer.sign({ method: 'GET', appId: 'app-a', key: 'p/old', expires }));
    assert.equal(s.store.signer.verify('GET', 'app-a', 'p/old', query(1000), 1_000_000).key, 'p/old', 'valid up to its expiry');
    assert.throws(() => s.store.signer.verify('GET', 'app-a', 'p/old', query(1000), 1_000_001), { code: 'SIGNED_URL_EXPIRED' });
    await s.store.put('app-a', 'p/old', 'x');
    const res = await fetch(`${s.base}/blobs/app-a/p/old?${query(Math.floor(Date.now() / 1000) - 1)}`);
    assert.deepEqual(await problemOf(res).then((p) => [p.status, p.code]), [403, 'SIGNED_URL_EXPIRED']);
  });

  it('counts a chunked upload as it streams: 413 past the limit, the partial file removed', async () => {
    const upload = new URL((await s.store.signedUploadUrl('app-a', 'chunked', { maxBytes: 100_000, expiresInSeconds: 60 })).url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(upload, { method: 'PUT', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      let sent = 0;
      const pump = () => {
        while (sent < 1_000_000) {
          sent += 16 * 1024;
          if (!req.write(Buffer.alloc(16 * 1024))) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    }).catch((error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? 413 : Promise.reject(error)));
    assert.equal(status, 413);
    assert.equal(await s.store.head('app-a', 'chunked'), undefined);
    for (let i = 0; i < 50 && readdirSync(join(s.dir, 'blobs', '.tmp')).length; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(readdirSync(join(s.dir, 'blobs', '.tmp')), []);
  });

  it('refuses traversal in the raw URL path (403), whatever the signature', async () => {
    const url = new URL((await s.store.signedUploadUrl('app-a', 'safe', { maxBytes: 10, expiresInSeconds: 60 })).url);
    for (const path of ['/blobs/app-a/%2e%2e/%2e%2e/escape', '/blobs/app-a/../../escape', '/blobs/..%2f..%2fescape', '/blobs/app-a/a%5c..%5cb', '/blobs/app-a/%00']) {
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: url.hostname, port: url.port, path: `${path}${url.search}`, method: 'PUT' }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c)).on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        req.end('x');
      });
      assert.equal(status, 403, path);
      assert.equal(JSON.parse(body).code, 'SIGNED_URL_INVALID');
    }
    assert.deepEqual(readdirSync(s.dir).sort(), ['blob-url-secret', 'blobs']);
  });

  it('keeps its secret: URLs survive a restart on the same DATA_DIR, and mean nothing to another', async () => {
    await s.store.put('app-a', 'kept', 'still here');
    const url = (await s.store.signedDownloadUrl('app-a', 'kept', { expiresInSeconds: 60 })).url;
    const again = new LocalBlobStore({ dataDir: s.dir, publicUrl: s.base });
    const query = new URL(url).searchParams;
    assert.equal(again.signer.verify('GET', 'app-a', 'kept', query).key, 'kept');
    const elsewhere = mkdtempSync(join(tmpdir(), 'gaf-blobs-'));
    try {
      const other = new LocalBlobStore({ dataDir: elsewhere, publicUrl: s.base });
      assert.throws(() => other.signer.verify('GET', 'app-a', 'kept', query), { code: 'SIGNED_URL_INVALID' });
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('signed URLs carry PUBLIC_URL and its path prefix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gaf-blobs-'));
    try {
      const staged = new LocalBlobStore({ dataDir: dir, publicUrl: 'https://api.example.test/prod/' });
      const { url } = await staged.signedUploadUrl('app-a', 'job/a file.pdf', { maxBytes: 5, expiresInSeconds: 60 });
      assert.match(url, /^https:\/\/api\.example\.test\/prod\/blobs\/app-a\/job\/a%20file\.pdf\?expires=\d+&max_bytes=5&signature=[\w-]{43}$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
