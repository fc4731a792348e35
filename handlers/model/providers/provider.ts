// The model-provider port: one adapter per provider (Bedrock, OpenAI-compatible HTTP, the local
// embedder). Adapters translate our normalised requests to the provider's wire format and its
// failures into ProviderError kinds; retries, deadlines and circuit breaking live above them.
import type { CatalogueModel } from '../catalogue.ts';
import { UpstreamError, type UpstreamFailureKind } from '../../platform/resilience/upstream-error.ts';

// The adapters' helpers for upstream failures are the platform's.
export { isAbort, retryAfterSeconds } from '../../platform/resilience/upstream-error.ts';

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
  /** One vector per text, in order. */
  embeddings: number[][];
  /** For all the texts together, when the provider says. */
  inputTokens?: number;
}

export interface RawResult extends Usage {
  output: Record<string, unknown>;
}

export interface ModelProvider {
  readonly name: 'bedrock' | 'openai' | 'local';
  chat(model: CatalogueModel, request: ChatRequest, signal: AbortSignal): Promise<ChatResult>;
  chatStream(model: CatalogueModel, request: ChatRequest, signal: AbortSignal): AsyncIterable<StreamEvent>;
  /** Most texts one embed call (one upstream request) takes for this model. */
  embedBatchSize(model: CatalogueModel): number;
  /** Embeds up to embedBatchSize(model) texts in one upstream request. */
  embed(model: CatalogueModel, texts: string[], options: EmbedOptions, signal: AbortSignal): Promise<EmbedResult>;
  raw(model: CatalogueModel, body: Record<string, unknown>, signal: AbortSignal): Promise<RawResult>;
}

/**
 * How a provider call failed: an upstream failure (platform/resilience) of a model provider. The
 * kinds — rejected, throttled, unavailable (the model), unreachable (the provider), timeout,
 * bad_response — are the platform's, so Resilience retries and blames them like any upstream's.
 */
export type ProviderErrorKind = UpstreamFailureKind;

export class ProviderError extends UpstreamError {}

export class UnsupportedOperation extends ProviderError {
  constructor(what: string) {
    super('rejected', `This model does not support ${what}.`);
  }
}
