// A loopback stand-in for the OpenSearch Serverless control plane (JSON 1.0, the operation in
// X-Amz-Target), enough for the vector backend: policies are accepted, collections are kept in
// memory (id `id-<name>`), ACTIVE at once, and served at `dataPlaneUrl` (e.g. the fake OpenSearch).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AossControlStub {
  url: string;
  collections: Set<string>;
  close(): Promise<void>;
}

export async function startAossControlStub(dataPlaneUrl: string): Promise<AossControlStub> {
  const collections = new Set<string>();
  const detail = (name: string) => ({ id: `id-${name}`, name, status: 'ACTIVE', collectionEndpoint: dataPlaneUrl });
  const answer = (operation: string, body: any): unknown => {
    switch (operation) {
      case 'CreateCollection':
        collections.add(body.name);
        return { createCollectionDetail: { ...detail(body.name), status: 'CREATING' } };
      case 'BatchGetCollection':
        return { collectionDetails: (body.names as string[]).filter((n) => collections.has(n)).map(detail), collectionErrorDetails: [] };
      case 'DeleteCollection':
        collections.delete(String(body.id).replace(/^id-/, ''));
        return { deleteCollectionDetail: { id: body.id, status: 'DELETING' } };
      default:
        return {};
    }
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      const text = JSON.stringify(answer(operation, body));
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(text) }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    collections,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
