// The model service: normalises requests, checks them against the catalogue and the app's
// limits, calls the provider through the resilience layer, and records every call in the ledger.
import { randomUUID } from 'node:crypto';
import type { components } from '../../generated/types/model.ts';
import { ProblemError, toProblem } from '../platform/http/problem.ts';
import type { AppPrincipal } from '../platform/auth/token-verifier.ts';
import type { ServerSentEvent } from '../platform/http/handler-types.ts';
import type { Job, JobQueue } from '../platform/queue/ports.ts';
import type { Catalogue, CatalogueModel, ProviderName } from './catalogue.ts';
import type { ChatRequest, ModelProvider, StreamEvent, Usage } from './providers/provider.ts';
import type { CallTarget, Resilience } from './resilience.ts';
import { StreamDeadlines, type StreamTimeouts } from './stream-deadlines.ts';
import type { UsageLedger, UsageOperation } from '../platform/usage/usage-ledger.ts';
import type { Reservation, UsageLimiter } from '../platform/usage/usage-limits.ts';
import type { InvocationResult, InvocationStore } from './invocation-store.ts';
import { ASYNC_QUEUE } from './module.ts';

type Schemas = components['schemas'];
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
  invocations: InvocationStore;
  jobs: JobQueue;
  asyncResultTtlSeconds: number;
  /** Called after a background invocation is queued (wakes the in-process worker). */
  onQueued?: () => void;
}

interface PreparedChat {
  model: CatalogueModel;
  provider: ModelProvider;
  request: ChatRequest;
  reservation: Reservation;
}
/** Characters per token, for estimates where the provider gives no count (a common rule of thumb). */
const CHARS_PER_TOKEN = 4;
const estimateTokens = (chars: number) => Math.ceil(chars / CHARS_PER_TOKEN);
/**
 * Output tokens a call without max_tokens reserves against the app's token limits (documented on
 * set_app_limits): most answers are far shorter, and the reservation is settled with the real count.
 */
export const DEFAULT_OUTPUT_RESERVATION = 4096;
/** The worst case of a call: its prompt and all it may generate, never more than the model's context window. */
const worstCase = (model: CatalogueModel, promptTokens: number, maxTokens: number | undefined) =>
  Math.min(model.context_window, promptTokens + (maxTokens ?? DEFAULT_OUTPUT_RESERVATION));

function chatRequest(body: InvokeBody): ChatRequest {
  const messages = typeof body.prompt === 'string'
    ? [{ role: 'user' as const, text: body.prompt }]
    : body.prompt.map((m) => ({ role: m.role, text: typeof m.content === 'string' ? m.content : m.content.map((c) => c.text).join('\n') }));
  return {
    messages,
    system: systemPrompts(body),
    maxTokens: body.max_tokens ?? undefined,
    temperature: body.temperature ?? undefined,
    topP: body.top_p ?? undefined,
    topK: body.top_k ?? undefined,
    stopSequences: body.stop_sequences ?? undefined,
  };
}

/** `system` is the deprecated alias of `system_prompts` (Converse's name): one of them, not both. */
function systemPrompts({ system_prompts, system }: InvokeBody): string[] {
  if (system_prompts != null && system != null) {
    throw new ProblemError('VALIDATION_ERROR', 'Send system_prompts or its deprecated alias system, not both.', {
      errors: [
        { path: 'body.system_prompts', message: 'must not be sent together with system' },
        { path: 'body.system', message: 'must not be sent together with system_prompts' },
      ],
    });
  }
  const given = system_prompts ?? system ?? [];
  return typeof given === 'string' ? [given] : given.map((s) => s.text);
}

const requestChars = (request: ChatRequest) =>
  request.messages.reduce((n, m) => n + m.text.length, 0) + request.system.reduce((n, s) => n + s.length, 0);

export class ModelService {
  constructor(private readonly o: ModelServiceOptions) {}

  listModels() {
    const view = ({ family: _family, ...model }: CatalogueModel) => model;
    const models = this.o.catalogue.available();
    return {
      text_models: models.filter((m) => m.kind === 'text').map(view),
      embed_models: models.filter((m) => m.kind === 'embed').map(view),
    };
  }

  /** The providers' circuit breakers, for the service health. */
  circuitBreakers(): Schemas['CircuitBreakerState'][] {
    return this.o.resilience.report().map(({ provider, model, state, consecutiveFailures, retryAfterSeconds }) => ({
      provider,
      ...(model !== undefined && { model_name: model }),
      state,
      consecutive_failures: consecutiveFailures,
      ...(retryAfterSeconds !== undefined && { retry_after_seconds: retryAfterSeconds }),
    }));
  }

  async invoke(caller: Caller, body: InvokeBody): Promise<Schemas['InvokeModelResponse']> {
    return this.callChat(caller, await this.prepareChat(caller, body), 'invoke');
  }

  /**
   * Checks the request and opens the provider's stream up to its first event (retrying like any
   * call), so every failure until then is an ordinary problem response; then streams.
   */
  async stream(caller: Caller, body: InvokeBody): Promise<AsyncIterable<ServerSentEvent>> {
    const prepared = await this.prepareChat(caller, body);
    const { model, provider, request, reservation } = prepared;
    const started = performance.now();
    const deadlines = new StreamDeadlines(this.o.stream, caller.signal);
    try {
      const opened = await this.o.resilience.call(target(model), caller.signal, async (signal) => {
        const iterator = provider.chatStream(model, request, deadlines.opening(signal))[Symbol.asyncIterator]();
        return { iterator, first: await iterator.next() };
      });
      deadlines.opened();
      return this.streamEvents(caller, prepared, opened, started, deadlines);
    } catch (error) {
      deadlines.close();
      this.accountFailure(caller, reservation, 'stream', model, performance.now() - started, error);
      throw error;
    }
  }

  private async *streamEvents(
    caller: Caller,
    { model, provider, request, reservation }: PreparedChat,
    { iterator, first }: { iterator: AsyncIterator<StreamEvent>; first: IteratorResult<StreamEvent> },
    started: number,
    deadlines: StreamDeadlines,
  ): AsyncIterable<ServerSentEvent> {
    let produced = 0;
    let done: Extract<StreamEvent, { type: 'done' }> | undefined;
    let failure: ProblemError | undefined;
    try {
      for (let step = first; !step.done; step = await deadlines.next(iterator)) {
        if (step.value.type === 'delta') {
          produced += step.value.text.length;
          yield { event: 'delta', data: { text: step.value.text } };
        } else {
          done = step.value;
        }
      }
    } catch (error) {
      // After the first event a failure ends the stream: a client that went away needs no
      // event; anything else is told with an `error` event.
      if (!caller.signal.aborted) failure = deadlines.failure(error, provider.name);
    } finally {
      deadlines.close();
      // Runs also when the consumer stops early (client gone): the call is accounted either way.
      const usage = withEstimates(done ?? {}, requestChars(request), produced);
      const status = caller.signal.aborted ? 'CANCELLED' : failure ? 'FAILED' : 'SUCCESS';
      this.account(caller, reservation, 'stream', model, usage, performance.now() - started, status, failure?.code ?? null);
      if (caller.signal.aborted) await iterator.return?.();
    }
    if (failure) {
      yield { event: 'error', data: toProblem(failure, caller.requestId, '/model/invoke_stream') };
    } else if (done) {
      const usage = withEstimates(done, requestChars(request), produced);
      yield {
        event: 'done',
        data: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens, finish_reason: done.finishReason, model_name: model.model_name },
      };
    }
  }

  async raw(caller: Caller, body: Schemas['RawInvokeRequest']): Promise<Schemas['RawInvokeResponse']> {
    const model = this.o.catalogue.resolve(body.model_id, { field: 'body.model_id' });
    const provider = this.provider(model);
    pinnedToCatalogue(model, body.raw_input);
    const estimate = estimateTokens(JSON.stringify(body.raw_input).length);
    if (estimate > model.context_window) throw contextExceeded(model, estimate, 'body.raw_input');
    // Native bodies name their output cap differently; the common top-level max_tokens is read.
    const maxTokens = Number.isSafeInteger(body.raw_input.max_tokens) ? body.raw_input.max_tokens as number : undefined;
    const reservation = await this.o.limits.admit(caller.principal.appId, caller.principal.limits, worstCase(model, estimate, maxTokens));
    return this.metered(caller, reservation, 'raw', model, async () => {
      const result = await this.o.resilience.call(target(model), caller.signal, (signal) => provider.raw(model, body.raw_input, signal));
      return {
        usage: { inputTokens: result.inputTokens ?? 0, outputTokens: result.outputTokens ?? 0 },
        value: { model_name: model.model_name, raw_output: result.output, input_tokens: result.inputTokens ?? null, output_tokens: result.outputTokens ?? null },
      };
    });
  }

  async embed(caller: Caller, body: Schemas['EmbedRequest']): Promise<Schemas['EmbedResponse']> {
    const model = this.o.catalogue.resolve(body.model_name, { kind: 'embed' });
    const provider = this.provider(model);
    const estimate = estimateTokens(body.input_text.length);
    if (estimate > model.context_window) throw contextExceeded(model, estimate);
    const reservation = await this.o.limits.admit(caller.principal.appId, caller.principal.limits, estimate);
    return this.metered(caller, reservation, 'embed', model, async () => {
      const options = { dimensions: body.dimensions ?? undefined, normalize: body.normalize ?? undefined, inputType: body.input_type ?? undefined };
      const result = await this.o.resilience.call(target(model), caller.signal, (signal) => provider.embed(model, body.input_text, options, signal));
      const embedding = body.normalize ? unitLength(result.embedding) : result.embedding;
      const inputTokens = result.inputTokens ?? estimate;
      return {
        usage: { inputTokens, outputTokens: 0 },
        value: { embedding, input_tokens: inputTokens, model_name: model.model_name, dimensions: embedding.length },
      };
    });
  }

  async submit(caller: Caller, body: InvokeBody): Promise<Schemas['AsyncInvocation']> {
    // Checked like a direct call, but the reservation is given back at once: the call runs later,
    // maybe in another task, and is counted when it ends (ASYNC_CONCURRENCY bounds what is in flight).
    (await this.prepareChat(caller, body)).reservation.release();
    const id = randomUUID();
    const now = Date.now();
    await this.o.invocations.create({
      id, appId: caller.principal.appId, requestId: caller.requestId, status: 'QUEUED', request: body,
      createdAt: new Date(now).toISOString(), expiresAt: now + this.o.asyncResultTtlSeconds * 1000,
    });
    await this.o.jobs.enqueue(ASYNC_QUEUE, { invocation_id: id, app_id: caller.principal.appId, limits: caller.principal.limits });
    this.o.onQueued?.();
    return { invocation_id: id, status: 'QUEUED' };
  }

  async output(caller: Caller, invocationId: string): Promise<{ finished: boolean; body: Schemas['AsyncOutput'] }> {
    const found = await this.o.invocations.find(caller.principal.appId, invocationId, Date.now());
    if (!found) throw new ProblemError('INVOCATION_NOT_FOUND', `No invocation ${invocationId} for this application (or its result has expired).`);
    const body: Schemas['AsyncOutput'] = {
      invocation_id: found.id,
      status: found.status,
      ...found.result,
      ...(found.error && { error: found.error }),
      created_at: found.createdAt,
      ...(found.completedAt && { completed_at: found.completedAt }),
      expires_at: new Date(found.expiresAt).toISOString(),
    };
    return { finished: found.status === 'SUCCEEDED' || found.status === 'FAILED', body };
  }

  /**
   * The worker's handler for one background invocation. Idempotent: an invocation that already
   * finished is left alone, so a job delivered twice (after a crash) does no harm.
   */
  async runInvocation(job: Job, lastAttempt: boolean, signal: AbortSignal): Promise<void> {
    const { invocation_id: id, app_id: appId, limits } = job.payload as { invocation_id: string; app_id: string; limits: AppPrincipal['limits'] };
    const invocation = await this.o.invocations.get(id);
    if (!invocation || invocation.status === 'SUCCEEDED' || invocation.status === 'FAILED') return;
    const fail = (problem: ProblemError) =>
      this.o.invocations.finish(id, { error: toProblem(problem, invocation.requestId, `/model/async_output/${id}`) }, new Date().toISOString());
    // Cancelled (its app is gone) before it started: end it without calling the provider.
    if (signal.reason instanceof ProblemError) return fail(signal.reason);
    await this.o.invocations.markInProgress(id);
    const caller: Caller = { principal: { appId, clientId: '', scopes: [], limits }, requestId: invocation.requestId, signal };
    const body = invocation.request as InvokeBody;
    try {
      // Checked at submission; only the model's current availability is looked at again.
      const model = this.o.catalogue.resolve(body.model_name, { kind: 'text' });
      const prepared = { model, provider: this.provider(model), request: chatRequest(body), reservation: this.o.limits.unreserved(appId, limits) };
      const result: InvocationResult = await this.callChat(caller, prepared, 'async');
      await this.o.invocations.finish(id, { result }, new Date().toISOString());
    } catch (error) {
      if (signal.reason instanceof ProblemError) return fail(signal.reason); // cancelled mid-call
      if (!(error instanceof ProblemError) && !lastAttempt) throw error; // let the queue try again
      await fail(error instanceof ProblemError ? error : new ProblemError('INTERNAL_ERROR', 'The invocation failed unexpectedly.'));
    }
  }

  private callChat(caller: Caller, { model, provider, request, reservation }: PreparedChat, operation: UsageOperation) {
    return this.metered(caller, reservation, operation, model, async () => {
      const result = await this.o.resilience.call(target(model), caller.signal, (signal) => provider.chat(model, request, signal));
      const usage = withEstimates(result, requestChars(request), result.text.length);
      return {
        usage,
        value: {
          output_text: result.text, input_tokens: usage.inputTokens, output_tokens: usage.outputTokens,
          model_name: model.model_name, finish_reason: result.finishReason,
        },
      };
    });
  }

  private async prepareChat(caller: Caller, body: InvokeBody): Promise<PreparedChat> {
    const model = this.o.catalogue.resolve(body.model_name, { kind: 'text' });
    const provider = this.provider(model);
    const request = chatRequest(body);
    const estimate = estimateTokens(requestChars(request));
    if (estimate > model.context_window) throw contextExceeded(model, estimate);
    const reservation = await this.o.limits.admit(caller.principal.appId, caller.principal.limits, worstCase(model, estimate, request.maxTokens));
    return { model, provider, request, reservation };
  }

  private provider(model: CatalogueModel): ModelProvider {
    const provider = this.o.providers[model.provider];
    if (!provider) throw new ProblemError('PROVIDER_NOT_CONFIGURED', `The ${model.provider} provider is not configured.`);
    return provider;
  }

  private async metered<T>(
    caller: Caller, reservation: Reservation, operation: UsageOperation, model: CatalogueModel, run: () => Promise<{ value: T; usage: Required<Usage> }>,
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
  private accountFailure(caller: Caller, reservation: Reservation, operation: UsageOperation, model: CatalogueModel, latencyMs: number, error: unknown) {
    const cancelled = caller.signal.aborted;
    this.account(caller, reservation, operation, model, { inputTokens: 0, outputTokens: 0 }, latencyMs, cancelled ? 'CANCELLED' : 'FAILED', cancelled ? null : problemCode(error));
  }

  private account(
    caller: Caller, reservation: Reservation, operation: UsageOperation, model: CatalogueModel, usage: Required<Usage>,
    latencyMs: number, status: 'SUCCESS' | 'FAILED' | 'CANCELLED', errorCode: string | null,
  ) {
    this.o.ledger.record({
      appId: caller.principal.appId,
      operation,
      modelName: model.model_name,
      provider: model.provider,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
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

const target = (model: CatalogueModel): CallTarget<ProviderName> => ({ provider: model.provider, model: model.model_name });
const problemCode = (error: unknown) => (error instanceof ProblemError ? error.code : 'INTERNAL_ERROR');

/** The provider's counts where it gave them, estimates from the text where it did not. */
function withEstimates(usage: Usage, inputChars: number, outputChars: number): Required<Usage> {
  return { inputTokens: usage.inputTokens ?? estimateTokens(inputChars), outputTokens: usage.outputTokens ?? estimateTokens(outputChars) };
}

function unitLength(vector: number[]): number[] {
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((x) => x / norm);
}

const contextExceeded = (model: CatalogueModel, estimate: number, path = 'body.prompt') =>
  new ProblemError('CONTEXT_WINDOW_EXCEEDED', `The prompt is about ${estimate} tokens; ${model.model_name} reads at most ${model.context_window}.`, {
    errors: [{ path, message: 'is larger than the model\'s context window' }],
  });

/**
 * The model called is always the catalogue entry that model_id names (it is what the ledger prices
 * and what the admin allowed), so a raw body may repeat that model but never name another.
 */
function pinnedToCatalogue(model: CatalogueModel, rawInput: Record<string, unknown>): void {
  const named = rawInput.model;
  if (named === undefined || named === model.model_id || named === model.model_name) return;
  throw new ProblemError('VALIDATION_ERROR', `raw_input.model must be omitted or name the model of model_id (${model.model_id}).`, {
    errors: [{ path: 'body.raw_input.model', message: 'names another model than model_id' }],
  });
}
