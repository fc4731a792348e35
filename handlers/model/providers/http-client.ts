// POSTs JSON over node:http(s) with keep-alive agents. The platform's hot path to a provider:
// Node's built-in fetch cost about a third of the server's CPU per proxied call in a profile.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

const agents = {
  'http:': new HttpAgent({ keepAlive: true, maxSockets: 256 }),
  'https:': new HttpsAgent({ keepAlive: true, maxSockets: 256 }),
};

/** Resolves with the response head; the body is the returned stream (read it or destroy it). */
export function postJson(url: URL, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, {
      method: 'POST',
      agent: agents[url.protocol as keyof typeof agents],
      headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      signal,
    });
    req.once('response', resolve);
    req.on('error', reject); // stays attached: an abort after the response head must not become an unhandled error
    req.end(body);
  });
}

export async function readText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
