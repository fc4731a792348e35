// The `models` capability: what a module may ask of the platform's model engine without importing
// the model service (a service never imports another). The model module provides it by wrapping
// its ModelService; consumers (the OpenAI-compatible surface, the vector service's embeddings)
// declare `requires: ['models']` and find it on `kernel.capabilities.models`. Every call is made on
// an application's behalf and goes through the same checks as the model API: catalogue, context
// window, the app's limits (reserved before, settled after), retries, circuit breakers, deadlines,
// and one usage-ledger row (service 'model', operation `<via>.<call>`). Domain types only: no HTTP.
// Failures are ProblemErrors with the model API's codes.
import type { AppLimits } from '../store/ports.ts';
import type { ProblemError } from '../problems.ts';

/** On whose behalf a call is made, and how it is marked in the ledger. */
export interface ModelCallContext {
  appId: string;
  limits: AppLimits;
  requestId: string;
  /** The caller went away: the upstream call is cancelled. */
  signal: AbortSignal;
  /** Who asks (e.g. 'openai', 'vector'): the ledger row's operation is `<via>.chat`, `<via>.stream`, `<via>.embed`. */
  via: string;
}

export interface GatewayMessage {
  role: 'system' | 'user' | 'assistant';
  text: string;
}

export interface GatewayChatRequest {
  /** A catalogue model name (or its provider id). */
  model: string;
  messages: GatewayMessage[];
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: string[];
}

export type GatewayFinishReason = 'stop' | 'length' | 'stop_sequence' | 'content_filter' | 'tool_use' | 'other';

export interface GatewayChatResult {
  /** The catalogue name of the model that answered. */
  model: string;
  text: string;
  finishReason: GatewayFinishReason;
  inputTokens: number;
  outputTokens: number;
}

export type GatewayStreamEvent =
  | { type: 'delta'; text: string }
  | ({ type: 'done' } & Omit<GatewayChatResult, 'text'>)
  /** The stream failed after it had started; nothing follows. */
  | { type: 'error'; error: ProblemError };

export interface GatewayEmbedRequest {
  model: string;
  /** One vector per text, in order. */
  texts: string[];
  dimensions?: number;
}

export interface GatewayEmbedResult {
  model: string;
  embeddings: number[][];
  inputTokens: number;
}

export interface GatewayModel {
  name: string;
  kind: 'text' | 'embed';
  provider: string;
  contextWindow: number;
  dimensions?: number;
}

export interface ModelGateway {
  chat(context: ModelCallContext, request: GatewayChatRequest): Promise<GatewayChatResult>;
  /**
   * Opens the stream up to its first event (every failure until then is thrown, like chat's);
   * stopping the iteration early (or aborting the signal) closes the upstream.
   */
  chatStream(context: ModelCallContext, request: GatewayChatRequest): Promise<AsyncIterable<GatewayStreamEvent>>;
  embed(context: ModelCallContext, request: GatewayEmbedRequest): Promise<GatewayEmbedResult>;
  /** The models this platform can call now (their provider is configured). */
  list(): GatewayModel[];
}
