// createServiceApp with binary bodies, on a tiny fixture spec: an operation declared with an
// application/octet-stream request body gets the raw bytes (limit: binaryBodyLimitBytes), and a
// handler can answer with a stream. JSON operations keep their parsing, limits and depth check.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { createServiceApp } from '../../handlers/platform/http/service-app.ts';
import { withRequestContext } from '../../handlers/platform/http/request-context.ts';
import { ProblemError } from '../../handlers/platform/problems.ts';
import { createLogger } from '../../handlers/platform/logger.ts';
import type { Handlers } from '../../handlers/platform/http/handler-types.ts';

const specPath = fileURLToPath(new URL('../fixtures/binary-service/openapi.json', import.meta.url));

/** What openapi-typescript generates for the fixture. */
interface operations {
  uploadFile: {
    parameters: { path: { name: string } };
    requestBody: { content: { 'application/octet-stream': string } };
    responses: { 200: { content: { 'application/json': { name: string; size: number } } } };
  };
  downloadFile: {
    parameters: { path: { name: string } };
    requestBody?: never;
    responses: { 200: { content: { 'application/octet-stream': string } }; 404: { content: { 'application/problem+json': unknown } } };
  };
  echoJson: {
    parameters: Record<string, never>;
    requestBody: { content: { 'application/json': { n: number } } };
    responses: { 200: { content: { 'application/json': { n: number } } } };
  };
}

const files = new Map<string, Buffer>();
const handlers: Handlers<operations> = {
  async uploadFile({ body, params }) {
    const bytes: Buffer = body; // typed as the raw bytes
    files.set(params.name, bytes);
    return { status: 200, body: { name: params.name, size: bytes.length } };
  },
  async downloadFile({ params }) {
    if (params.name === 'broken') {
      const failing = new Readable({ read() {} });
      failing.push(Buffer.alloc(1000));
      setTimeout(() => failing.destroy(new Error('disk gone')), 20);
      return { status: 200, stream: failing };
    }
    const bytes = files.get(params.name);
    if (!bytes) throw new ProblemError('BLOB_NOT_FOUND', `No file ${params.name}.`);
    return { status: 200, stream: Readable.from([bytes.subarray(0, 100), bytes.subarray(100)]), headers: { 'content-length': String(bytes.length) } };
  },
  async echoJson({ body }) {
    return { status: 200, body };
  },
};

// @ts-expect-error a binary status answers with a stream, not a JSON body
const _wrong: Handlers<operations>['downloadFile'] = async () => ({ status: 200, body: 'bytes' });

const app = createServiceApp({ specPath, handlers, bodyLimitBytes: 1024, binaryBodyLimitBytes: 64 * 1024, typelessBodyIsJson: true });
const handler = withRequestContext(createLogger('silent'), app, { trustProxyHops: 0 });
const http = request(handler);
const ALL_BYTES = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.alloc(3000, 0xff)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

it('an octet-stream operation receives the raw bytes, and a stream answer sends them back', async () => {
  const put = await http.put('/bin/files/all.bin').set('content-type', 'application/octet-stream').send(ALL_BYTES);
  assert.equal(put.status, 200, put.text);
  assert.deepEqual(put.body, { name: 'all.bin', size: ALL_BYTES.length });
  assert.equal(sha(files.get('all.bin')!), sha(ALL_BYTES));

  const got = await http.get('/bin/files/all.bin').buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => done(null, Buffer.concat(chunks)));
  });
  assert.equal(got.status, 200);
  assert.equal(got.headers['content-type'], 'application/octet-stream');
  assert.equal(got.headers['content-length'], String(ALL_BYTES.length));
  assert.equal(sha(got.body as Buffer), sha(ALL_BYTES));
});

it('binary bodies have their own limit (413 beyond it), and the JSON limit stays', async () => {
  const ok = await http.put('/bin/files/big.bin').set('content-type', 'application/octet-stream').send(Buffer.alloc(60 * 1024));
  assert.equal(ok.status, 200);
  const tooBig = await http.put('/bin/files/big.bin').set('content-type', 'application/octet-stream').send(Buffer.alloc(64 * 1024 + 1));
  assert.equal(tooBig.status, 413);
  assert.equal(tooBig.body.code, 'PAYLOAD_TOO_LARGE');
  const bigJson = await http.post('/bin/json').set('content-type', 'application/json').send(JSON.stringify({ n: 1, pad: 'x'.repeat(2000) }));
  assert.equal(bigJson.status, 413);
});

it('a handler that throws before streaming answers with a problem', async () => {
  const res = await http.get('/bin/files/none.bin');
  assert.equal(res.status, 404);
  assert.equal(res.headers['content-type'], 'application/problem+json');
  assert.equal(res.body.code, 'BLOB_NOT_FOUND');
});

it('the bytes must come as application/octet-stream (415 otherwise); JSON operations are unchanged', async () => {
  const wrongType = await http.put('/bin/files/x.bin').set('content-type', 'text/plain').send('plain text');
  assert.equal(wrongType.status, 415);
  assert.equal(wrongType.body.code, 'UNSUPPORTED_MEDIA_TYPE');
  assert.deepEqual((await http.post('/bin/json').set('content-type', 'application/json').send('{"n":3}')).body, { n: 3 });
  // Typeless JSON is still read as JSON, and the nesting limit still holds.
  const typeless = await http.post('/bin/json').send(Buffer.from('{"n":4}'));
  assert.deepEqual(typeless.body, { n: 4 });
  const deep = await http.post('/bin/json').set('content-type', 'application/json').send(`{"n":1,"d":${'['.repeat(70)}${']'.repeat(70)}}`);
  assert.equal(deep.status, 400);
});

it('a stream that fails mid-way cuts the connection: a truncated body, never a complete-looking one', async () => {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/bin/files/broken`);
    assert.equal(res.status, 200);
    await assert.rejects(res.arrayBuffer());
    // The app still serves.
    assert.equal((await fetch(`http://127.0.0.1:${port}/bin/files/all.bin`)).status, 200);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
