// What the document tests share: uploading through a signed URL as the seed SDK does (raw bytes,
// no Content-Type), and polling a job until it ends.
import assert from 'node:assert/strict';
import type { TestPlatform } from '../helpers/platform.ts';

const TERMINAL = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED'];

/** PUTs the bytes to a signed upload URL of the local blob store, through the platform. */
export function upload(t: TestPlatform, uploadUrl: string, bytes: Uint8Array | string) {
  const url = new URL(uploadUrl);
  return t.http.put(url.pathname + url.search).send(Buffer.from(bytes));
}

/** GETs a signed download URL of the local blob store, through the platform. */
export async function download(t: TestPlatform, resultUrl: string) {
  const url = new URL(resultUrl);
  const res = await t.http.get(url.pathname + url.search).buffer(true).parse((r, done) => {
    const parts: Buffer[] = [];
    r.on('data', (part: Buffer) => parts.push(part));
    r.on('end', () => done(null, Buffer.concat(parts)));
  });
  assert.equal(res.status, 200);
  return JSON.parse((res.body as Buffer).toString('utf8'));
}

/** Polls a job's status route until the job is terminal (deadline: 60 s). */
export async function untilDone(t: TestPlatform, authorization: string, path: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await t.http.get(path).set('authorization', authorization).expect(200);
    if (TERMINAL.includes(res.body.status)) return res.body;
    assert.ok(Date.now() < deadline, `job still ${res.body.status}: ${JSON.stringify(res.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
