// A loopback stand-in for an OpenSearch Serverless collection: it records every request (method,
// path, headers, parsed body) and answers the subset of the REST API the vector-index adapter uses
// — index create/delete/mapping, _bulk, _delete_by_query, _search, _msearch, _count — by evaluating the
// query DSL it receives over documents in memory (k-NN with filter, match, bool.filter, term,
// terms, range). Scores follow OpenSearch: k-NN cosinesimil (1 + cos) / 2; `match` a tf-idf
// stand-in for BM25 (only the order matters to the tests). Like AOSS after a write, it can make
// documents searchable late: `visibleAfterRequests` = n hides each written document from every
// read (search, count, delete by query) for the next n requests.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

type Doc = Record<string, unknown> & { text?: string; vector?: number[] };
type Query = Record<string, any>; // the query DSL is open-ended JSON

interface FakeIndex {
  mappings: Query;
  docs: Map<string, Doc>;
}

/** The documents of an index a read sees now. */
type Visible = (index: FakeIndex) => [string, Doc][];

const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

function get(doc: Doc, field: string): unknown {
  return field.split('.').reduce<unknown>((value, part) => (value as Record<string, unknown> | undefined)?.[part], doc);
}

function matches(doc: Doc, clause: Query): boolean {
  const [kind, spec] = Object.entries(clause)[0]!;
  const [field, value] = Object.entries(spec as Query)[0] ?? [];
  switch (kind) {
    case 'bool':
      return ((spec.filter ?? []) as Query[]).every((c) => matches(doc, c)) && ((spec.must ?? []) as Query[]).every((c) => matches(doc, c));
    case 'term':
      return get(doc, field!) === value;
    case 'terms':
      return (value as unknown[]).includes(get(doc, field!));
    case 'range': {
      const v = get(doc, field!) as number;
      return (value.gte === undefined || v >= value.gte) && (value.lte === undefined || v <= value.lte);
    }
    case 'match': {
      const terms = new Set(words(String(get(doc, field!) ?? '')));
      return words(typeof value === 'string' ? value : value.query).some((w) => terms.has(w));
    }
    default:
      throw new Error(`fake OpenSearch: unsupported clause ${kind}`);
  }
}

function cosine(a: number[], b: number[]): number {
  let dot = 0, na = 0, nb = 0;
  a.forEach((x, i) => {
    dot += x * b[i]!;
    na += x * x;
    nb += b[i]! ** 2;
  });
  return dot / Math.sqrt(na * nb);
}

function search(docs: [string, Doc][], body: Query) {
  let scored: { id: string; doc: Doc; score: number }[];
  const query = body.query ?? { match_all: {} };
  if (query.knn) {
    const [field, spec] = Object.entries(query.knn as Query)[0]!;
    scored = docs
      .filter(([, doc]) => !spec.filter || matches(doc, spec.filter))
      .map(([id, doc]) => ({ id, doc, score: (1 + cosine(spec.vector, doc[field] as number[])) / 2 }))
      .sort((a, b) => b.score - a.score)
      .slice(0, spec.k);
  } else {
    const must: Query[] = query.bool?.must ?? [];
    const match = must.find((c) => c.match)?.match;
    const [field, spec] = match ? Object.entries(match as Query)[0]! : [undefined, undefined];
    const queryWords = spec ? words(spec.query) : [];
    const idf = (w: string) => Math.log(1 + docs.length / (1 + docs.filter(([, d]) => words(String(get(d, field!))).includes(w)).length));
    scored = docs
      .filter(([, doc]) => matches(doc, query))
      .map(([id, doc]) => {
        const docWords = field ? words(String(get(doc, field))) : [];
        return { id, doc, score: queryWords.reduce((s, w) => s + docWords.filter((d) => d === w).length * idf(w), 0) || 1 };
      })
      .sort((a, b) => b.score - a.score);
  }
  if (body.min_score !== undefined) scored = scored.filter((s) => s.score >= body.min_score);
  const source = (doc: Doc): Doc => {
    if (Array.isArray(body._source)) return Object.fromEntries((body._source as string[]).map((f) => [f, doc[f]]));
    const excludes: string[] = body._source?.excludes ?? [];
    return Object.fromEntries(Object.entries(doc).filter(([f]) => !excludes.includes(f)));
  };
  return { hits: { total: { value: scored.length }, hits: scored.slice(0, body.size ?? 10).map((s) => ({ _id: s.id, _score: s.score, _source: source(s.doc) })) } };
}

export interface FakeOpenSearch {
  url: string;
  requests: RecordedRequest[];
  indexes: Map<string, FakeIndex>;
  /** Each document written is hidden from reads for this many further requests (0: searchable at once). */
  visibleAfterRequests: number;
  close(): Promise<void>;
}

export async function startFakeOpenSearch(): Promise<FakeOpenSearch> {
  const requests: RecordedRequest[] = [];
  const indexes = new Map<string, FakeIndex>();
  let nextId = 0;
  const visibleFrom = new Map<Doc, number>();
  const visible: Visible = (index) => [...index.docs.entries()].filter(([, doc]) => (visibleFrom.get(doc) ?? 0) <= requests.length);
  const ndjson = (raw: string) => raw.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Query);

  const answer = (method: string, path: string, raw: string): [number, unknown] => {
    const [first, action] = path.split('?')[0]!.split('/').filter(Boolean);
    const missing: [number, unknown] = [404, { error: { type: 'index_not_found_exception' }, status: 404 }];
    if (first === '_bulk') {
      const lines = ndjson(raw);
      const items = [];
      for (let i = 0; i < lines.length; i += 2) {
        const target = indexes.get(lines[i]!.index._index);
        if (!target) return missing;
        const id = `doc-${nextId++}`;
        const doc = lines[i + 1] as Doc;
        target.docs.set(id, doc);
        visibleFrom.set(doc, requests.length + fake.visibleAfterRequests);
        items.push({ index: { _id: id, status: 201 } });
      }
      return [200, { errors: false, items }];
    }
    if (first === '_msearch') {
      const lines = ndjson(raw);
      const responses = [];
      for (let i = 0; i < lines.length; i += 2) {
        const target = indexes.get(lines[i]!.index);
        responses.push(target ? search(visible(target), lines[i + 1]!) : missing[1]);
      }
      return [200, { responses }];
    }
    const index = indexes.get(first!);
    if (method === 'PUT' && !action) {
      if (index) return [400, { error: { type: 'resource_already_exists_exception' }, status: 400 }];
      indexes.set(first!, { mappings: (JSON.parse(raw) as Query).mappings, docs: new Map() });
      return [200, { acknowledged: true, index: first }];
    }
    if (!index) return missing;
    if (method === 'DELETE' && !action) {
      indexes.delete(first!);
      return [200, { acknowledged: true }];
    }
    if (method === 'GET' && action === '_mapping') return [200, { [first!]: { mappings: index.mappings } }];
    if (method === 'POST' && action === '_search') return [200, search(visible(index), JSON.parse(raw) as Query)];
    if (method === 'POST' && action === '_count') {
      const query = (JSON.parse(raw) as Query).query;
      return [200, { count: visible(index).filter(([, doc]) => matches(doc, query)).length }];
    }
    if (method === 'POST' && action === '_delete_by_query') {
      const query = (JSON.parse(raw) as Query).query;
      let deleted = 0;
      for (const [id, doc] of visible(index)) if (matches(doc, query) && index.docs.delete(id)) deleted++;
      return [200, { deleted }];
    }
    return [400, { error: { type: 'unsupported_by_fake', reason: `${method} ${path}` } }];
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const isNdjson = path.startsWith('/_bulk') || path.startsWith('/_msearch');
      requests.push({ method: req.method!, path, headers: req.headers, body: raw ? (isNdjson ? ndjson(raw) : JSON.parse(raw)) : undefined });
      const [status, body] = answer(req.method!, path, raw);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake: FakeOpenSearch = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    indexes,
    visibleAfterRequests: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return fake;
}
