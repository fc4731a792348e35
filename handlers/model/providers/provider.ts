// The model-provider port: one adapter per provider (Bedrock, OpenAI-compatible HTTP, the local
// embedder). Adapters translate our normalised requests to the provider's wire format and its
// failures into ProviderError kinds; retries, deadlines and circuit breaking live above them.
import type { CatalogueModel } from '../catalogue.ts';

export interface ChatMessage {
  role: 'user' | 'assistant';
  text: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  system: string[];
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stopSequences?: string[];
}

export type FinishReason = 'stop' | 'length' | 'stop_sequence' | 'content_filter' | 'tool_use' | 'other';

export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
}

export interface ChatResult extends Usage {
  text: string;
  finishReason: FinishReason;
}

export type StreamEvent = { type: 'delta'; text: string } | ({ type: 'done'; finishReason: FinishReason } & Usage);

export interface EmbedOptions {
  dimensions?: number;
  normalize?: boolean;
  inputType?: string;
}

export interface EmbedResult {
  embedding: number[];
  inputTokens?: number;
}

export interface RawResult extends Usage {
  output: Record<string, unknown>;
}

export interface ModelProvider {
  readonly name: 'bedrock' | 'openai' | 'local';
  chat(model: CatalogueModel, request: ChatRequest, signal: AbortSignal): Promise<ChatResult>;
  chatStream(model: CatalogueModel, request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamEvent>;
  embed(model: CatalogueModel, text: string, options: EmbedOptions, signal: AbortSignal): Promise<EmbedResult>;
  raw(model: CatalogueModel, body: Record<string, unknown>, signal: AbortSignal): Promise<RawResult>;
}

/**
 * How a provider call failed. `rejected`: the provider refused this request (not retried);
 * `throttled`: slow down (retried, honouring retryAfterSeconds); `unavailable`: a transient
 * failure of the model (retried); `unreachable`: no connection to the provider at all (retried);
 * `timeout`: no answer in time; `bad_response`: an answer we cannot read.
 */
export type ProviderErrorKind = 'rejected' | 'throttled' | 'unavailable' | 'unreachable' | 'timeout' | 'bad_response';

export class ProviderError extends Error {
  constructor(
    readonly kind: ProviderErrorKind,
    /** Safe to show a client: never the provider's own text. */
    readonly detail: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
  }
}

export class UnsupportedOperation extends ProviderError {
  constructor(what: string) {
    super('rejected', `This model does not support ${what}.`);
  }
}

/** Reads Retry-After as seconds or an HTTP date. */
export function retryAfterSeconds(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/** An abort: the caller gave up, or the deadline passed. */
export const isAbort = (error: unknown) => error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
