// The S3 blob store against s3rver (an S3 emulator, on loopback): the shared contract, then the
// shape of its pre-signed URLs and where the objects land in the bucket.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { S3BlobStore, createS3Client } from '../../handlers/platform/blobs/s3-blob-store.ts';
import { blobContract } from './blob-contract.ts';

const BUCKET = 'gaf-blobs';

interface Emulator {
  client: S3Client;
  close(): Promise<void>;
}

async function startS3(): Promise<Emulator> {
  const directory = mkdtempSync(join(tmpdir(), 'gaf-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: BUCKET }] });
  const { port } = (await server.run()) as AddressInfo;
  const client = createS3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return {
    client,
    async close() {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

blobContract('S3 (s3rver)', async () => {
  const s3 = await startS3();
  return { store: new S3BlobStore(s3.client, BUCKET), refusesOversizeUploads: false, verifiesSignatures: false, close: () => s3.close() };
});

describe('S3 blob store: pre-signed URLs and keys', () => {
  let s3: Emulator;
  let store: S3BlobStore;
  before(async () => {
    s3 = await startS3();
    store = new S3BlobStore(s3.client, BUCKET);
  });
  after(() => s3.close());

  it('signs a PUT on the host header alone, without checksum parameters, so a bare PUT of the bytes matches', async () => {
    const url = new URL((await store.signedUploadUrl('app-a', 'job/a.pdf', { maxBytes: 10, expiresInSeconds: 600 })).url);
    assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'host');
    assert.equal(url.searchParams.get('X-Amz-Expires'), '600');
    const names = [...url.searchParams.keys()].map((k) => k.toLowerCase());
    assert.ok(!names.some((k) => k.includes('checksum')), names.join(', '));
    assert.equal(url.pathname, `/${BUCKET}/app-a/job/a.pdf`);
  });

  it("refuses a client with the SDK's default flexible checksums (they would sign a CRC32 of an empty body into the URL)", async () => {
    const defaults = new S3Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    await assert.rejects(new S3BlobStore(defaults, BUCKET).signedUploadUrl('app-a', 'k', { maxBytes: 1, expiresInSeconds: 60 }), /createS3Client/);
    defaults.destroy();
  });

  it('signs a GET that serves the file name and type asked for', async () => {
    const url = new URL((await store.signedDownloadUrl('app-a', 'job/a.pdf', { expiresInSeconds: 60, filename: 'a.pdf', contentType: 'application/pdf' })).url);
    assert.equal(url.searchParams.get('response-content-disposition'), `attachment; filename="a.pdf"; filename*=UTF-8''a.pdf`);
    assert.equal(url.searchParams.get('response-content-type'), 'application/pdf');
  });

  it("keeps each object under its app's prefix in the bucket", async () => {
    await store.put('app-a', 'k/one.txt', 'a');
    await store.put('app-b', 'k/one.txt', 'b');
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    assert.deepEqual(listed.Contents?.map((o) => o.Key).sort(), ['app-a/k/one.txt', 'app-b/k/one.txt']);
    const raw = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'app-b/k/one.txt' }));
    assert.equal(await raw.Body!.transformToString(), 'b');
  });
});
