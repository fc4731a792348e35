// One behavioural contract for every blob-store adapter (local files, S3): objects by app and key,
// streamed reads, and signed URLs used the way the seed's SDK uses them: a real `fetch` PUT of the
// raw bytes with no Content-Type, then a GET.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidBlobKeyError, type BlobStore } from '../../handlers/platform/blobs/ports.ts';

export interface BlobHarness {
  store: BlobStore;
  /** Local: an upload over the URL's limit is refused while it streams (413); S3: by confirmUpload. */
  refusesOversizeUploads: boolean;
  /** false for s3rver: it checks a pre-signed URL's expiry but not its SigV4 signature. */
  verifiesSignatures: boolean;
  close(): Promise<void>;
}

const APP = 'app-a';
const OTHER = 'app-b';
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(2000), Buffer.from('\n%%EOF\n')]);

const text = async (body: Readable) => Buffer.concat(await body.toArray()).toString();
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const put = (url: string, body: Uint8Array) => fetch(url, { method: 'PUT', body: body as Uint8Array<ArrayBuffer> });

/** Changes the last character of the URL's signature parameter (whatever the adapter calls it). */
function tamperSignature(url: string): string {
  const parsed = new URL(url);
  const name = [...parsed.searchParams.keys()].find((k) => /signature/i.test(k))!;
  const value = parsed.searchParams.get(name)!;
  parsed.searchParams.set(name, value.slice(0, -1) + (value.endsWith('a') ? 'b' : 'a'));
  return parsed.toString();
}

export function blobContract(label: string, open: () => Promise<BlobHarness>) {
  describe(`blob store contract: ${label}`, () => {
    let h: BlobHarness;
    let store: BlobStore;
    before(async () => {
      h = await open();
      store = h.store;
    });
    after(() => h.close());

    it('puts, heads, gets and deletes an object; a missing one is undefined, deleting it twice is fine', async () => {
      const info = await store.put(APP, 'notes/hello.txt', 'hello, blobs', { contentType: 'text/plain' });
      assert.equal(info.size, 12);
      const head = await store.head(APP, 'notes/hello.txt');
      assert.equal(head?.size, 12);
      assert.equal(head?.contentType, 'text/plain');
      assert.ok(head!.lastModified.getTime() > Date.now() - 60_000);
      const got = await store.get(APP, 'notes/hello.txt');
      assert.equal(got?.contentType, 'text/plain');
      assert.equal(await text(got!.body), 'hello, blobs');
      await store.delete(APP, 'notes/hello.txt');
      assert.equal(await store.head(APP, 'notes/hello.txt'), undefined);
      assert.equal(await store.get(APP, 'notes/hello.txt'), undefined);
      await store.delete(APP, 'notes/hello.txt');
      assert.equal(await store.get(APP, 'never/was'), undefined);
    });

    it('records application/octet-stream when no type is given; a key and its "subfolder" coexist', async () => {
      await store.put(APP, 'a/b', Buffer.from([1, 2, 3]));
      await store.put(APP, 'a/b/c', Buffer.from([4]));
      assert.equal((await store.head(APP, 'a/b'))?.contentType, 'application/octet-stream');
      assert.deepEqual([...Buffer.concat(await (await store.get(APP, 'a/b'))!.body.toArray())], [1, 2, 3]);
      assert.deepEqual([...Buffer.concat(await (await store.get(APP, 'a/b/c'))!.body.toArray())], [4]);
    });

    it('streams: a 3 MiB stream in, a stream of several chunks out, byte for byte', async () => {
      const parts = Array.from({ length: 48 }, () => randomBytes(64 * 1024));
      await store.put(APP, 'big/file.bin', Readable.from(parts));
      const got = await store.get(APP, 'big/file.bin');
      assert.ok(got!.body instanceof Readable, 'a Readable, not a buffer');
      assert.equal(got!.size, 3 * 1024 * 1024);
      let chunks = 0;
      const hash = createHash('sha256');
      for await (const chunk of got!.body) {
        chunks++;
        hash.update(chunk as Buffer);
      }
      assert.ok(chunks > 1, `${chunks} chunk(s)`);
      assert.equal(hash.digest('hex'), sha(Buffer.concat(parts)));
    });

    it('refuses a put over maxBytes and keeps what was there', async () => {
      await store.put(APP, 'limited', 'v1');
      await assert.rejects(store.put(APP, 'limited', Readable.from([randomBytes(600), randomBytes(600)]), { maxBytes: 1000 }), { code: 'PAYLOAD_TOO_LARGE' });
      assert.equal(await text((await store.get(APP, 'limited'))!.body), 'v1');
      await assert.rejects(store.put(APP, 'limited-new', Buffer.alloc(1001), { maxBytes: 1000 }), { code: 'PAYLOAD_TOO_LARGE' });
      assert.equal(await store.head(APP, 'limited-new'), undefined);
    });

    it('signed upload (raw bytes, no Content-Type, like the seed SDK) then signed download', async () => {
      const upload = await store.signedUploadUrl(APP, 'job-1/report.pdf', { maxBytes: 1_000_000, expiresInSeconds: 300 });
      assert.equal(upload.method, 'PUT');
      assert.ok(upload.expiresAt.getTime() > Date.now() + 290_000);
      const res = await put(upload.url, PDF);
      assert.equal(res.status, 200, await res.clone().text());
      await res.arrayBuffer();
      assert.equal((await store.confirmUpload(APP, 'job-1/report.pdf', { maxBytes: 1_000_000 }))?.size, PDF.length);

      const download = await store.signedDownloadUrl(APP, 'job-1/report.pdf', { expiresInSeconds: 60, filename: 'Q3 report é.pdf', contentType: 'application/pdf' });
      const got = await fetch(download.url);
      assert.equal(got.status, 200);
      assert.equal(got.headers.get('content-type'), 'application/pdf');
      assert.match(got.headers.get('content-disposition') ?? '', /^attachment; filename="Q3 report _.pdf"; filename\*=UTF-8''Q3%20report%20%C3%A9\.pdf$/);
      assert.equal(sha(new Uint8Array(await got.arrayBuffer())), sha(PDF));
      // The same bytes through the port.
      assert.equal(sha(Buffer.concat(await (await store.get(APP, 'job-1/report.pdf'))!.body.toArray())), sha(PDF));
    });

    it('confirmUpload: undefined before any upload', async () => {
      assert.equal(await store.confirmUpload(APP, 'job-1/not-yet.pdf', { maxBytes: 10 }), undefined);
    });

    it('holds an upload to the size fixed when the URL was issued', async () => {
      const exact = await store.signedUploadUrl(APP, 'sized/exact', { maxBytes: 1000, expiresInSeconds: 60 });
      assert.equal((await put(exact.url, randomBytes(1000))).status, 200);
      assert.equal((await store.confirmUpload(APP, 'sized/exact', { maxBytes: 1000 }))?.size, 1000);

      const over = await store.signedUploadUrl(APP, 'sized/over', { maxBytes: 1000, expiresInSeconds: 60 });
      const res = await put(over.url, randomBytes(1001));
      await res.arrayBuffer();
      if (h.refusesOversizeUploads) {
        assert.equal(res.status, 413);
        assert.equal(await store.confirmUpload(APP, 'sized/over', { maxBytes: 1000 }), undefined);
      } else {
        assert.equal(res.status, 200);
        await assert.rejects(store.confirmUpload(APP, 'sized/over', { maxBytes: 1000 }), { code: 'PAYLOAD_TOO_LARGE' });
      }
      assert.equal(await store.head(APP, 'sized/over'), undefined, 'no object over the limit survives');
    });

    it('refuses a tampered signature, another key, and the other method (403)', async (t) => {
      if (!h.verifiesSignatures) return t.skip('this emulator does not verify signatures');
      await store.put(APP, 'signed/doc.txt', 'secret text');
      const download = await store.signedDownloadUrl(APP, 'signed/doc.txt', { expiresInSeconds: 60 });
      assert.equal((await fetch(download.url)).status, 200);
      assert.equal((await fetch(tamperSignature(download.url))).status, 403);
      assert.equal((await fetch(download.url.replace('/doc.txt?', '/other.txt?'))).status, 403);
      assert.equal((await fetch(download.url.replace(`/${APP}/`, `/${OTHER}/`))).status, 403);
      assert.equal((await put(download.url, Buffer.from('overwritten'))).status, 403, 'a download URL does not upload');

      const upload = await store.signedUploadUrl(APP, 'signed/up.txt', { maxBytes: 100, expiresInSeconds: 60 });
      assert.equal((await put(tamperSignature(upload.url), Buffer.from('x'))).status, 403);
      assert.equal((await fetch(upload.url)).status, 403, 'an upload URL does not download');
      assert.equal(await store.head(APP, 'signed/up.txt'), undefined);
      assert.equal(await text((await store.get(APP, 'signed/doc.txt'))!.body), 'secret text');
    });

    it('refuses an expired URL (403)', async () => {
      await store.put(APP, 'expiring', 'soon gone');
      const upload = await store.signedUploadUrl(APP, 'expiring-up', { maxBytes: 100, expiresInSeconds: 1 });
      const download = await store.signedDownloadUrl(APP, 'expiring', { expiresInSeconds: 1 });
      await sleep(2100);
      assert.equal((await put(upload.url, Buffer.from('late'))).status, 403);
      assert.equal((await fetch(download.url)).status, 403);
      assert.equal(await store.head(APP, 'expiring-up'), undefined);
    });

    it('refuses keys and app ids that could leave their namespace', async () => {
      const badKeys = ['', '../x', 'a/../../x', '..', '.', '/abs', 'a//b', 'trailing/', 'a\\..\\b', 'nul\u0000', 'line\nfeed', 'x'.repeat(801)];
      for (const key of badKeys) {
        await assert.rejects(store.put(APP, key, 'x'), InvalidBlobKeyError, JSON.stringify(key));
        await assert.rejects(store.get(APP, key), InvalidBlobKeyError);
        await assert.rejects(store.signedUploadUrl(APP, key, { maxBytes: 1, expiresInSeconds: 60 }), InvalidBlobKeyError);
        await assert.rejects(store.signedDownloadUrl(APP, key, { expiresInSeconds: 60 }), InvalidBlobKeyError);
      }
      for (const appId of ['', '..', '.hidden', 'a/b', 'a\\b', '../app-a']) {
        await assert.rejects(store.put(appId, 'k', 'x'), InvalidBlobKeyError, JSON.stringify(appId));
        await assert.rejects(store.head(appId, 'k'), InvalidBlobKeyError);
      }
      // Unusual but harmless names are fine.
      await store.put(APP, 'spaces and ünïcode/ä b+c%20.txt', 'ok');
      assert.equal(await text((await store.get(APP, 'spaces and ünïcode/ä b+c%20.txt'))!.body), 'ok');
      const url = await store.signedDownloadUrl(APP, 'spaces and ünïcode/ä b+c%20.txt', { expiresInSeconds: 60 });
      assert.equal(await (await fetch(url.url)).text(), 'ok');
    });

    it('keeps apps apart: the same key in two apps is two objects', async () => {
      await store.put(APP, 'shared/name.txt', 'from A');
      await store.put(OTHER, 'shared/name.txt', 'from B');
      assert.equal(await text((await store.get(APP, 'shared/name.txt'))!.body), 'from A');
      assert.equal(await text((await store.get(OTHER, 'shared/name.txt'))!.body), 'from B');
      await store.delete(APP, 'shared/name.txt');
      assert.equal(await store.head(APP, 'shared/name.txt'), undefined);
      assert.equal((await store.head(OTHER, 'shared/name.txt'))?.size, 6);
      assert.equal(await store.head(OTHER, 'job-1/report.pdf'), undefined, "B does not see A's upload");
    });

    it('refuses URL options out of range', async () => {
      await assert.rejects(store.signedUploadUrl(APP, 'k', { maxBytes: -1, expiresInSeconds: 60 }), RangeError);
      await assert.rejects(store.signedUploadUrl(APP, 'k', { maxBytes: 1, expiresInSeconds: 0 }), RangeError);
      await assert.rejects(store.signedDownloadUrl(APP, 'k', { expiresInSeconds: 8 * 24 * 3600 }), RangeError);
      await assert.rejects(store.signedDownloadUrl(APP, 'k', { expiresInSeconds: 60, filename: 'bad\nname' }), RangeError);
    });
  });
}
