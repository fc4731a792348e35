// The HTTP server in front of the platform's request listener, with explicit connection limits:
// a client cannot hold sockets open by sending nothing, or half a request, or by opening
// thousands of them (each holds a file descriptor the health check also needs).
import { createServer, type RequestListener, type Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /** Time to receive a request's headers (then 408 and close). */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included (then 408 and close). */
  requestTimeoutMs: number;
  /** A new connection that sends no byte for this long is closed. */
  idleSocketTimeoutMs: number;
  /** Between two requests of a keep-alive connection; longer than load balancers' idle timeouts. */
  keepAliveTimeoutMs: number;
  /** Open connections per client address; 0 = no cap (behind a load balancer, all share its address). */
  maxConnectionsPerClient: number;
}

export const CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  idleSocketTimeoutMs: 10_000,
  keepAliveTimeoutMs: 65_000,
  maxConnectionsPerClient: 256,
};

export function createPlatformServer(handler: RequestListener, limits: ConnectionLimits = CONNECTION_LIMITS): Server {
  const server = createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    // How often Node checks the two timeouts above (its default, 30 s, would let them overshoot).
    connectionsCheckingInterval: Math.min(2_000, limits.headersTimeoutMs),
    keepAliveTimeout: limits.keepAliveTimeoutMs,
  }, handler);

  const perClient = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const client = socket.remoteAddress ?? '';
    const open = (perClient.get(client) ?? 0) + 1;
    if (limits.maxConnectionsPerClient > 0 && open > limits.maxConnectionsPerClient) {
      socket.destroy();
      return;
    }
    perClient.set(client, open);
    socket.once('close', () => {
      const left = (perClient.get(client) ?? 1) - 1;
      if (left > 0) perClient.set(client, left);
      else perClient.delete(client);
    });
    // Node's header timeout covers a request once its first byte is in; a socket that sends none
    // needs a timer of its own (a plain one: a socket timeout would also fire during slow answers).
    const idle = setTimeout(() => socket.bytesRead === 0 && socket.destroy(), limits.idleSocketTimeoutMs).unref();
    socket.once('close', () => clearTimeout(idle));
  });
  return server;
}
