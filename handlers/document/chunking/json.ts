// JSON files (the seed's handling, whatever the strategy): LangChain's RecursiveJsonSplitter with
// the seed's max_chunk_size 300 (min 100), each chunk a JSON object keeping the nested path of the
// values it holds, serialised as Python's json.dumps(ensure_ascii=True) did. Unlike the seed, a
// top-level array is chunked (runs of elements packed into arrays, a large object element split
// like an object) instead of giving `null`. A chunk is re-serialised, so it is no substring of
// the source: its start/end span the source members (from a key's quote to its value's end) or
// array elements it was made from.
// The document is parsed here (not with JSON.parse) to keep key order and member offsets.
import { ChunkingFailure } from './ports.ts';
import type { Drafts } from './spans.ts';

const MAX_CHUNK_SIZE = 300;
const MIN_CHUNK_SIZE = Math.max(MAX_CHUNK_SIZE - 200, 50);
const MAX_DEPTH = 500;

type JsonNode =
  | { kind: 'object'; entries: Member[]; start: number; end: number }
  | { kind: 'array'; items: JsonNode[]; start: number; end: number }
  | { kind: 'scalar'; raw: string; start: number; end: number };

/** A key, its value, and where the member starts (its key's opening quote). */
type Member = [key: string, value: JsonNode, start: number];

/** A chunk under construction: an ordered object tree plus the source span of what it holds. */
interface Building {
  root: Map<string, unknown>;
  start: number;
  end: number;
}

export function splitJson(text: string, out: Drafts) {
  const document = parseJson(text);
  const chunks: Building[] = [];
  const fresh = (): Building => ({ root: new Map(), start: Infinity, end: -Infinity });
  if (document.kind === 'object') {
    chunks.push(fresh());
    splitObject(document, [], chunks, fresh);
  } else if (document.kind === 'array') {
    packArray(document, chunks, fresh);
  } else {
    chunks.push({ root: new Map(), start: document.start, end: document.end });
    emit(out, document.start, document.end, dumps(document));
    return;
  }
  for (const chunk of chunks) {
    if (chunk.root.size) emit(out, chunk.start, chunk.end, dumps(chunk.root));
  }
}

function emit(out: Drafts, start: number, end: number, serialized: string) {
  out.serialized.set(out.length, serialized);
  out.push(start, end);
}

// RecursiveJsonSplitter._json_split, on one object.
function splitObject(node: Extract<JsonNode, { kind: 'object' }>, path: string[], chunks: Building[], fresh: () => Building) {
  for (const [key, value, memberStart] of node.entries) {
    const current = chunks[chunks.length - 1]!;
    const chunkSize = dumps(current.root).length;
    const size = dumps(new Map<string, unknown>([[key, value]])).length;
    if (size < MAX_CHUNK_SIZE - chunkSize) {
      place(current, [...path, key], value, memberStart);
    } else {
      if (chunkSize >= MIN_CHUNK_SIZE) chunks.push(fresh());
      if (value.kind === 'object') splitObject(value, [...path, key], chunks, fresh);
      else place(chunks[chunks.length - 1]!, [...path, key], value, memberStart);
    }
  }
}

function place(chunk: Building, path: string[], value: JsonNode, memberStart: number) {
  let target = chunk.root;
  for (const key of path.slice(0, -1)) {
    let next = target.get(key);
    if (!(next instanceof Map)) target.set(key, (next = new Map()));
    target = next as Map<string, unknown>;
  }
  target.set(path[path.length - 1]!, value);
  chunk.start = Math.min(chunk.start, memberStart);
  chunk.end = Math.max(chunk.end, value.end);
}

/** A top-level array: consecutive elements packed into arrays of at most MAX_CHUNK_SIZE characters. */
function packArray(node: Extract<JsonNode, { kind: 'array' }>, chunks: Building[], fresh: () => Building) {
  let run: JsonNode[] = [];
  const flush = () => {
    if (!run.length) return;
    chunks.push({ root: new Map([['', run]]), start: run[0]!.start, end: run[run.length - 1]!.end });
    run = [];
  };
  for (const item of node.items) {
    if (item.kind === 'object' && dumps(item).length > MAX_CHUNK_SIZE) {
      flush();
      chunks.push(fresh());
      splitObject(item, [], chunks, fresh);
    } else {
      if (run.length && dumps([...run, item]).length > MAX_CHUNK_SIZE) flush();
      run.push(item);
    }
  }
  flush();
}

// -- json.dumps(value, ensure_ascii=True): ", " and ": " separators, non-ASCII as \uXXXX.
// Numbers keep their source spelling (Python would rewrite floats such as 1e5 as 100000.0).
function dumps(value: unknown): string {
  if (value instanceof Map) {
    // A packed run of top-level array elements is stored under the key '' alone.
    if (value.size === 1 && value.has('') && Array.isArray(value.get(''))) return dumps(value.get(''));
    return `{${[...value].map(([key, item]) => `${quote(key as string)}: ${dumps(item)}`).join(', ')}}`;
  }
  if (Array.isArray(value)) return `[${value.map(dumps).join(', ')}]`;
  const node = value as JsonNode;
  if (node.kind === 'object') return `{${node.entries.map(([key, item]) => `${quote(key)}: ${dumps(item)}`).join(', ')}}`;
  if (node.kind === 'array') return `[${node.items.map(dumps).join(', ')}]`;
  return node.raw.startsWith('"') ? quote(JSON.parse(node.raw) as string) : node.raw;
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

const quote = (s: string) =>
  `"${s.replace(/["\\\u0000-\u001f\u007f-\uffff]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;

// -- A JSON parser that keeps key order and offsets; syntax checked by JSON.parse first.
function parseJson(text: string): JsonNode {
  try {
    JSON.parse(text);
  } catch {
    throw new ChunkingFailure('INVALID_JSON', 'the file is not valid JSON');
  }
  let at = 0;
  const space = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const value = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) throw new ChunkingFailure('INVALID_JSON', `the JSON nests deeper than ${MAX_DEPTH} levels`);
    space();
    const start = at;
    const c = text[at];
    if (c === '{') {
      at++;
      const entries: Member[] = [];
      for (space(); text[at] !== '}'; space()) {
        const memberStart = at;
        const key = JSON.parse(stringToken()) as string;
        space();
        at++; // ':'
        entries.push([key, value(depth + 1), memberStart]);
        space();
        if (text[at] === ',') at++;
        space();
      }
      at++;
      return { kind: 'object', entries, start, end: at };
    }
    if (c === '[') {
      at++;
      const items: JsonNode[] = [];
      for (space(); text[at] !== ']'; space()) {
        items.push(value(depth + 1));
        space();
        if (text[at] === ',') at++;
      }
      at++;
      return { kind: 'array', items, start, end: at };
    }
    if (c === '"') return { kind: 'scalar', raw: stringToken(), start, end: at };
    while (at < text.length && !',]} \t\n\r'.includes(text[at]!)) at++;
    return { kind: 'scalar', raw: text.slice(start, at), start, end: at };
  };
  const stringToken = () => {
    const start = at++;
    while (text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at++;
    return text.slice(start, at);
  };
  return value(0);
}
