import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { addressKey, clientAddress } from '../../handlers/platform/http/client-address.ts';

const request = (peer: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

it('believes only the X-Forwarded-For entries our own proxies appended', () => {
  const spoofed = request('10.0.0.5', '6.6.6.6, 203.0.113.7, 10.0.1.9');
  assert.equal(clientAddress(spoofed, 0), '10.0.0.5');
  assert.equal(clientAddress(spoofed, 1), '10.0.1.9');
  assert.equal(clientAddress(spoofed, 2), '203.0.113.7');
  // A request that reached us with fewer hops than configured: the farthest one known.
  assert.equal(clientAddress(request('10.0.0.5', '203.0.113.7'), 3), '203.0.113.7');
  assert.equal(clientAddress(request('10.0.0.5'), 2), '10.0.0.5');
});

it('counts IPv4 by address and IPv6 by /64', () => {
  assert.equal(addressKey('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(addressKey('192.0.2.1'), '192.0.2.1');
  assert.equal(addressKey('2001:DB8:0:0042::1'), '2001:db8:0:42::/64');
  assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(addressKey('::1'), '0:0:0:0::/64');
  assert.equal(addressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
});
