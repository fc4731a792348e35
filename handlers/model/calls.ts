// The core every model call shares: its options, the checks before it (catalogue, context window,
// limits, provider) and its metering into the usage ledger.
import type { components } from '../../generated/types/model.ts';
import { ProblemError } from '../platform/problems.ts';
import type { AppPrincipal } from '../platform/auth/token-verifier.ts';
import type { JobQueue } from '../platform/queue/ports.ts';
import type { Catalogue, CatalogueModel, ProviderName } from './catalogue.ts';
import type { ChatRequest, ModelProvider, Usage } from './providers/provider.ts';
import type { CallTarget, Resilience } from '../platform/resilience/resilience.ts';
import type { StreamTimeouts } from './stream-deadlines.ts';
import type { UsageLedger } from '../platform/usage/usage-ledger.ts';
import type { Reservation, UsageLimiter } from '../platform/usage/usage-limits.ts';
import type { JobStore } from '../platform/jobs/ports.ts';
import { chatRequest, requestChars } from './chat-request.ts';

export type Schemas = components['schemas'];
/** How the call came in, as the ledger's `operation` of the 'model' service. */
export type ModelOperation = 'invoke' | 'stream' | 'async' | 'raw' | 'embed';
export type InvokeBody = Schemas['InvokeModelRequest'];

export interface Caller {
  principal: AppPrincipal;
  requestId: string;
  /** The client went away. */
  signal: AbortSignal;
}

export interface ModelServiceOptions {
  catalogue: Catalogue;
  providers: Partial<Record<ProviderName, ModelProvider>>;
  resilience: Resilience<ProviderName>;
  stream: StreamTimeouts;
  ledger: UsageLedger;
  limits: UsageLimiter;
  /** Background invocations: one job each (kind 'model-invocation', id = invocation id, one item). */
  jobStore: JobStore;
  jobs: JobQueue;
  asyncResultTtlSeconds: number;
  /** Called after a background invocation is queued (wakes the in-process worker). */
  onQueued?: () => void;
}

export interface PreparedChat {
  model: CatalogueModel;
  provider: ModelProvider;
  request: ChatRequest;
  reservation: Reservation;
}
/** Characters per token, for estimates where the provider gives no count (a common rule of thumb). */
const CHARS_PER_TOKEN = 4;
export const estimateTokens = (chars: number) => Math.ceil(chars / CHARS_PER_TOKEN);
/**
 * Output tokens a call without max_tokens reserves against the app's token limits (documented on
 * set_app_limits): most answers are far shorter, and the reservation is settled with the real count.
 */
export const DEFAULT_OUTPUT_RESERVATION = 4096;
/** The worst case of a call: its prompt and all it may generate, never more than the model's context window. */
export const worstCase = (model: CatalogueModel, promptTokens: number, maxTokens: number | undefined) =>
  Math.min(model.context_window, promptTokens + (maxTokens ?? DEFAULT_OUTPUT_RESERVATION));

export class ModelCalls {
  constructor(readonly options: ModelServiceOptions) {}

  async prepareChat(caller: Caller, body: InvokeBody): Promise<PreparedChat> {
    const model = this.options.catalogue.resolve(body.model_name, { kind: 'text' });
    const provider = this.provider(model);
    const request = chatRequest(body);
    const estimate = estimateTokens(requestChars(request));
    if (estimate > model.context_window) throw contextExceeded(model, estimate);
    const reservation = await this.options.limits.admit(caller.principal.appId, caller.principal.limits, worstCase(model, estimate, request.maxTokens));
    return { model, provider, request, reservation };
  }

  provider(model: CatalogueModel): ModelProvider {
    const provider = this.options.providers[model.provider];
    if (!provider) throw new ProblemError('PROVIDER_NOT_CONFIGURED', `The ${model.provider} provider is not configured.`);
    return provider;
  }

  async metered<T>(
    caller: Caller, reservation: Reservation, operation: ModelOperation, model: CatalogueModel, run: () => Promise<{ value: T; usage: Required<Usage> }>,
  ): Promise<T> {
    const started = performance.now();
    try {
      const { value, usage } = await run();
      this.account(caller, reservation, operation, model, usage, performance.now() - started, 'SUCCESS', null);
      return value;
    } catch (error) {
      this.accountFailure(caller, reservation, operation, model, performance.now() - started, error);
      throw error;
    }
  }

  /** A call that gave no answer: failed, or cancelled by its caller (then no error is ours to name). */
  accountFailure(caller: Caller, reservation: Reservation, operation: ModelOperation, model: CatalogueModel, latencyMs: number, error: unknown) {
    const cancelled = caller.signal.aborted;
    this.account(caller, reservation, operation, model, { inputTokens: 0, outputTokens: 0 }, latencyMs, cancelled ? 'CANCELLED' : 'FAILED', cancelled ? null : problemCode(error));
  }

  account(
    caller: Caller, reservation: Reservation, operation: ModelOperation, model: CatalogueModel, usage: Required<Usage>,
    latencyMs: number, status: 'SUCCESS' | 'FAILED' | 'CANCELLED', errorCode: string | null,
  ) {
    this.options.ledger.record({
      appId: caller.principal.appId,
      service: 'model',
      operation,
      resource: model.model_name,
      provider: model.provider,
      units: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens },
      latencyMs: Math.round(latencyMs * 100) / 100,
      status,
      errorCode,
      requestId: caller.requestId,
      costUsd: (usage.inputTokens / 1000) * model.input_price_per_1k + (usage.outputTokens / 1000) * model.output_price_per_1k,
      createdAt: new Date().toISOString(),
      ...(reservation.ledgerReleases > 0 && { reservedTokens: reservation.ledgerReleases }),
    });
    reservation.settle(usage.inputTokens + usage.outputTokens);
  }
}

export const target = (model: CatalogueModel): CallTarget<ProviderName> => ({ provider: model.provider, model: model.model_name });
const problemCode = (error: unknown) => (error instanceof ProblemError ? error.code : 'INTERNAL_ERROR');

/** The provider's counts where it gave them, estimates from the text where it did not. */
export function withEstimates(usage: Usage, inputChars: number, outputChars: number): Required<Usage> {
  return { inputTokens: usage.inputTokens ?? estimateTokens(inputChars), outputTokens: usage.outputTokens ?? estimateTokens(outputChars) };
}

export const contextExceeded = (model: CatalogueModel, estimate: number, path = 'body.prompt') =>
  new ProblemError('CONTEXT_WINDOW_EXCEEDED', `The prompt is about ${estimate} tokens; ${model.model_name} reads at most ${model.context_window}.`, {
    errors: [{ path, message: 'is larger than the model\'s context window' }],
  });
