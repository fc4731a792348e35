// Sockets that send nothing, half a request, or too many connections from one address are closed;
// a slow answer to a real request is not.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Server } from 'node:http';
import { CONNECTION_LIMITS, createPlatformServer } from '../../handlers/platform/http/server.ts';

let server: Server;
let port: number;

before(async () => {
  server = createPlatformServer(async (req, res) => {
    if (req.url === '/slow') await sleep(1500); // longer than the idle timeout
    res.end('ok');
  }, { ...CONNECTION_LIMITS, headersTimeoutMs: 500, idleSocketTimeoutMs: 400, maxConnectionsPerClient: 3 });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as { port: number }).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

/** Opens a socket and records what it receives and whether the server closed it. */
async function open(): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let data = '';
  socket.on('data', (chunk) => (data += chunk));
  socket.on('error', () => undefined);
  return { socket, received: () => data, closed: once(socket, 'close').then(() => undefined) };
}

const within = (promise: Promise<void>, ms: number) =>
  Promise.race([promise.then(() => true), sleep(ms).then(() => false)]);

it('closes a connection that sends no byte', async () => {
  const silent = await open();
  assert.ok(await within(silent.closed, 5000), 'still open');
});

it('answers half a request with 408 and closes it', async () => {
  const partial = await open();
  partial.socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
  assert.ok(await within(partial.closed, 5000), 'still open');
  assert.match(partial.received(), /^HTTP\/1\.1 408/);
});

it('caps the connections one address holds, and frees the slots when they close', async () => {
  const held = await Promise.all([open(), open(), open()]);
  const extra = await open();
  assert.ok(await within(extra.closed, 1000), 'a fourth connection was kept');
  for (const { socket } of held) socket.destroy();
  await Promise.all(held.map((h) => h.closed));
  const res = await fetch(`http://127.0.0.1:${port}/`);
  assert.equal(await res.text(), 'ok');
});

it('does not cut a request whose answer takes longer than the idle timeout', async () => {
  const res = await fetch(`http://127.0.0.1:${port}/slow`);
  assert.equal(await res.text(), 'ok');
});
