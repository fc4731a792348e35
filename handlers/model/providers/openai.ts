// OpenAI-compatible HTTP provider: chat completions (plain and streamed) and embeddings. Covers
// OpenAI itself, Ollama, vLLM and llama.cpp's server.
import type { CatalogueModel } from '../catalogue.ts';
import {
  isAbort, ProviderError, retryAfterSeconds, type ChatRequest, type ChatResult, type EmbedOptions, type EmbedResult,
  type FinishReason, type ModelProvider, type RawResult, type StreamEvent,
} from './provider.ts';
import type { IncomingMessage } from 'node:http';
import { postJson, readText } from './http-client.ts';

export interface OpenAiOptions {
  baseUrl: string;
  apiKey?: string;
}

interface Completion {
  choices?: { message?: { content?: string | null }; delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

const FINISH: Record<string, FinishReason> = { stop: 'stop', length: 'length', content_filter: 'content_filter', tool_calls: 'tool_use', function_call: 'tool_use' };
const finishReason = (value: string | null | undefined): FinishReason => (value ? FINISH[value] ?? 'other' : 'stop');

function chatBody(model: CatalogueModel, request: ChatRequest) {
  const messages = [
    ...request.system.map((text) => ({ role: 'system', content: text })),
    ...request.messages.map((m) => ({ role: m.role, content: m.text })),
  ];
  return {
    model: model.model_id,
    messages,
    ...(request.maxTokens !== undefined && { max_tokens: request.maxTokens }),
    ...(request.temperature !== undefined && { temperature: request.temperature }),
    ...(request.topP !== undefined && { top_p: request.topP }),
    ...(request.topK !== undefined && { top_k: request.topK }),
    ...(request.stopSequences !== undefined && request.stopSequences.length > 0 && { stop: request.stopSequences }),
  };
}

export class OpenAiProvider implements ModelProvider {
  readonly name = 'openai' as const;
  private readonly baseUrl: string;
  private readonly headers: Record<string, string>;

  constructor(options: OpenAiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.headers = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};
  }

  private async post(path: string, body: unknown, signal: AbortSignal): Promise<IncomingMessage> {
    let response: IncomingMessage;
    try {
      response = await postJson(new URL(`${this.baseUrl}${path}`), JSON.stringify(body), this.headers, signal);
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new ProviderError('unreachable', 'The OpenAI-compatible server could not be reached.');
    }
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) return response;
    response.resume();
    if (status === 429) throw new ProviderError('throttled', 'The OpenAI-compatible server is throttling requests.', retryAfterSeconds(response.headers['retry-after']));
    if (status === 401 || status === 403) throw new ProviderError('bad_response', 'The OpenAI-compatible server refused the platform\'s credentials (check OPENAI_API_KEY).');
    if (status === 408 || status >= 500) throw new ProviderError('unavailable', `The OpenAI-compatible server failed (HTTP ${status}).`);
    throw new ProviderError('rejected', `The OpenAI-compatible server rejected the request (HTTP ${status}).`);
  }

  private async json<T>(response: IncomingMessage): Promise<T> {
    try {
      return JSON.parse(await readText(response)) as T;
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new ProviderError('bad_response', 'The OpenAI-compatible server answered with something that is not JSON.');
    }
  }

  async chat(model: CatalogueModel, request: ChatRequest, signal: AbortSignal): Promise<ChatResult> {
    return this.completion(await this.json<Completion>(await this.post('/chat/completions', chatBody(model, request), signal)));
  }

  private completion(completion: Completion): ChatResult {
    const choice = completion.choices?.[0];
    if (!choice || typeof choice.message?.content !== 'string') {
      throw new ProviderError('bad_response', 'The OpenAI-compatible server answered without a message.');
    }
    return {
      text: choice.message.content,
      finishReason: finishReason(choice.finish_reason),
      inputTokens: completion.usage?.prompt_tokens,
      outputTokens: completion.usage?.completion_tokens,
    };
  }

  async *chatStream(model: CatalogueModel, request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamEvent> {
    const body = { ...chatBody(model, request), stream: true, stream_options: { include_usage: true } };
    const response = await this.post('/chat/completions', body, signal);
    if (String(response.headers['content-type']).startsWith('application/json')) {
      // Some servers ignore `stream` and answer the whole completion at once: pass it on as one delta.
      const whole = this.completion(await this.json<Completion>(response));
      if (whole.text) yield { type: 'delta', text: whole.text };
      yield { type: 'done', finishReason: whole.finishReason, inputTokens: whole.inputTokens, outputTokens: whole.outputTokens };
      return;
    }
    let finish: FinishReason = 'stop';
    let usage: Completion['usage'];
    for await (const data of sseData(response)) {
      if (data === '[DONE]') break;
      let chunk: Completion;
      try {
        chunk = JSON.parse(data) as Completion;
      } catch {
        throw new ProviderError('bad_response', 'The OpenAI-compatible server streamed something that is not JSON.');
      }
      const choice = chunk.choices?.[0];
      if (choice?.delta?.content) yield { type: 'delta', text: choice.delta.content };
      if (choice?.finish_reason) finish = finishReason(choice.finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    yield { type: 'done', finishReason: finish, inputTokens: usage?.prompt_tokens, outputTokens: usage?.completion_tokens };
  }

  /** OpenAI's API takes up to 2,048 inputs a request; servers modelled on it (Ollama, vLLM) take arrays too. */
  embedBatchSize(): number {
    return 256;
  }

  async embed(model: CatalogueModel, texts: string[], options: EmbedOptions, signal: AbortSignal): Promise<EmbedResult> {
    const body = { model: model.model_id, input: texts, ...(options.dimensions !== undefined && { dimensions: options.dimensions }) };
    const result = await this.json<{ data?: { index?: number; embedding?: number[] }[]; usage?: { prompt_tokens?: number } }>(await this.post('/embeddings', body, signal));
    const data = result.data ?? [];
    // Each item names its input by `index`; servers that omit it answer in order.
    const embeddings = texts.map((_, i) => (data.find((item) => item.index === i) ?? data[i])?.embedding);
    if (!embeddings.every((embedding): embedding is number[] => Array.isArray(embedding))) {
      throw new ProviderError('bad_response', `The OpenAI-compatible server answered ${data.length} embeddings for ${texts.length} inputs.`);
    }
    return { embeddings, inputTokens: result.usage?.prompt_tokens };
  }

  async raw(model: CatalogueModel, body: Record<string, unknown>, signal: AbortSignal): Promise<RawResult> {
    // The model is the catalogue's, whatever the body says: it is the one priced and allowed. An
    // embedding model's native body goes to the embeddings endpoint; a chat body is answered as one
    // JSON document (streaming is what /model/invoke_stream is for).
    const upstream = model.kind === 'embed' ? { ...body, model: model.model_id } : { ...body, model: model.model_id, stream: false };
    const path = model.kind === 'embed' ? '/embeddings' : '/chat/completions';
    const output = await this.json<Record<string, unknown> & Completion>(await this.post(path, upstream, signal));
    return { output, inputTokens: output.usage?.prompt_tokens, outputTokens: output.usage?.completion_tokens };
  }
}

/** The `data:` payloads of a Server-Sent Events body, one per event. */
async function* sseData(response: IncomingMessage): AsyncIterable<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of upstreamBody(response)) {
    buffer += decoder.decode(chunk, { stream: true });
    let boundary: number;
    while ((boundary = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const event = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary).replace(/^\r?\n\r?\n/, '');
      const data = event.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n');
      if (data) yield data;
    }
  }
}

/** The body's chunks; a connection that drops before the body ends is the server's failure. */
async function* upstreamBody(response: IncomingMessage): AsyncIterable<Uint8Array> {
  try {
    yield* response as AsyncIterable<Uint8Array>;
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ProviderError('unavailable', 'The OpenAI-compatible server closed the stream before it finished.');
  }
}
