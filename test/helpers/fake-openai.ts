// A real loopback HTTP server that plays an OpenAI-compatible upstream. The model name picks the
// behaviour (a `sleep <ms>` prompt delays any model; `hashed-*` embedding models answer a vector
// derived from the text); every request is recorded so tests can see what the platform sent.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** Put in every error body: a response of the platform must never contain it. */
export const UPSTREAM_SECRET = 'upstream-internal-detail-7f3a';

export interface FakeOpenAi {
  url: string;
  requests: { path: string; body: Record<string, unknown> }[];
  /** Requests per model name. */
  count(model: string): number;
  /** Resolves when a streaming client has closed the connection mid-stream. */
  streamClosed: Promise<void>;
  close(): Promise<void>;
}

/** Dimensions of the vectors `hashed-*` embedding models answer. */
export const HASHED_DIMENSIONS = 16;
/** An input holding it is refused by `hashed-*` models (400); one holding EMBED_FAIL fails (500). */
export const EMBED_REJECT = 'EMBED-REJECT';
export const EMBED_FAIL = 'EMBED-FAIL';

/**
 * A `hashed-*` model's embedding: its words hashed into HASHED_DIMENSIONS buckets, unit length.
 * Deterministic, so a text embeds the same every time, and texts sharing words are near.
 */
export function hashedEmbedding(text: string): number[] {
  const vector = new Array<number>(HASHED_DIMENSIONS).fill(0);
  vector[0] = 1e-3; // never the zero vector
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (const c of word) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
    vector[(h >>> 0) % HASHED_DIMENSIONS]! += 1;
  }
  const norm = Math.hypot(...vector);
  return vector.map((x) => x / norm);
}

const lastUserText = (body: Record<string, unknown>) => {
  const messages = (body.messages as { role: string; content: string }[]) ?? [];
  return messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
};

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const requests: FakeOpenAi['requests'] = [];
  const counts = new Map<string, number>();
  let onStreamClosed!: () => void;
  const streamClosed = new Promise<void>((resolve) => (onStreamClosed = resolve));

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (res: ServerResponse, status: number, headers: Record<string, string> = {}) =>
    json(res, status, { error: { message: `boom ${UPSTREAM_SECRET}`, api_key: 'sk-should-never-leak' } }, headers);

  async function handle(req: IncomingMessage, res: ServerResponse) {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    const path = req.url ?? '';
    requests.push({ path, body });
    const model = String(body.model);
    const n = (counts.get(model) ?? 0) + 1;
    counts.set(model, n);

    if (model === 'throttle-once' && n === 1) return error(res, 429, { 'retry-after': '0' });
    if (model === 'always-throttled') return error(res, 429, { 'retry-after': '1' });
    if (model === 'fail-500') return error(res, 500);
    if (model === 'rejects') return error(res, 400);
    if (model === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(`<html>${UPSTREAM_SECRET}</html>`);
    }
    if (model === 'slow') await sleep(5000);
    // Any model answers late when asked to (`sleep <ms>` as the prompt), unless the caller leaves.
    const asked = /^sleep (\d+)$/.exec(lastUserText(body));
    if (asked) {
      const gone = new AbortController();
      res.once('close', () => gone.abort());
      await sleep(Number(asked[1]), undefined, { signal: gone.signal });
    }
    if (model === 'paced') {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // `delay-<ms>`: answers like echo after that many milliseconds (keeps concurrent calls in flight).
    if (model.startsWith('delay-')) await new Promise((resolve) => setTimeout(resolve, Number(model.slice('delay-'.length))));
    if (path.endsWith('/embeddings')) {
      if (model.startsWith('hashed-')) {
        const input = String(body.input);
        if (input.includes(EMBED_REJECT)) return error(res, 400);
        if (input.includes(EMBED_FAIL)) return error(res, 500);
        return json(res, 200, { data: [{ embedding: hashedEmbedding(input) }], usage: { prompt_tokens: input.split(/\s+/).length } });
      }
      return json(res, 200, { data: [{ embedding: [3, 4, 0] }], usage: { prompt_tokens: 5 } });
    }
    const answer = `echo: ${lastUserText(body)}`;
    if (body.stream && model !== 'ignores-stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const delta = (content: string) => res.write(`data: ${JSON.stringify({ choices: [{ delta: { content } }] })}\n\n`);
      if (model === 'cut-stream') {
        // Two tokens, then the connection drops without the end of the chunked body.
        delta('half ');
        delta('way ');
        return setTimeout(() => res.socket?.destroy(), 50);
      }
      if (model === 'stall-stream') return delta('first ');
      if (model === 'slow-stream') {
        // A token every 50 ms for a second: longer than a short whole-call deadline.
        for (let i = 0; i < 20 && !res.destroyed; i++) {
          delta(`t${i} `);
          await sleep(50);
        }
        res.write(`data: ${JSON.stringify({ choices: [{ delta: {}, finish_reason: 'stop' }] })}\n\n`);
        return res.end('data: [DONE]\n\n');
      }
      if (model === 'endless-stream') {
        const timer = setInterval(() => delta('tick '), 20);
        res.on('close', () => {
          clearInterval(timer);
          onStreamClosed();
        });
        return;
      }
      for (const piece of ['echo', ': ', lastUserText(body)]) {
        res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: piece }, finish_reason: null }] })}\n\n`);
      }
      res.write(`data: ${JSON.stringify({ choices: [{ delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 11, completion_tokens: 3 } })}\n\n`);
      return res.end('data: [DONE]\n\n');
    }
    return json(res, 200, {
      id: 'chatcmpl-1', object: 'chat.completion', model,
      choices: [{ index: 0, message: { role: 'assistant', content: answer }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 11, completion_tokens: 7 },
    });
  }

  const server: Server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`,
    requests,
    count: (model) => counts.get(model) ?? 0,
    streamClosed,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
