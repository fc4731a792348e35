// The address of the client behind a request. X-Forwarded-For is written by whoever sends the
// request, so only the entries appended by our own proxies can be believed: with N trusted proxies
// (TRUST_PROXY_HOPS) the client is the Nth entry from the right; with none, the socket's peer.
// This is Express's `trust proxy = N`, done on the raw request so every service sees the same.
import type { IncomingMessage } from 'node:http';
import { isIPv6 } from 'node:net';

export function clientAddress(req: IncomingMessage, trustedHops: number): string {
  const socket = req.socket.remoteAddress ?? 'unknown';
  if (trustedHops === 0) return socket;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((hop) => hop.trim()).filter(Boolean);
  // Nearest hop first: the socket, then what the last proxy appended, and so on back to the client.
  const hops = [socket, ...forwarded.reverse()];
  return hops[Math.min(trustedHops, hops.length - 1)]!;
}

/**
 * The unit an address is counted in: one IPv4 address, or one IPv6 /64 (a single subscriber gets
 * a whole /64, so counting single IPv6 addresses would hand an attacker 2^64 fresh ones).
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail] = address.split('%', 1)[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).map((group) => group.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
