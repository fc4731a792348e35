// The model service's face to its handlers and worker: each call delegated to the file of its job.
import type { Job } from '../platform/queue/ports.ts';
import type { CatalogueModel, ProviderName } from './catalogue.ts';
import { ModelCalls, type Caller, type InvokeBody, type ModelServiceOptions, type Schemas } from './calls.ts';
import { invoke } from './invoke.ts';
import { stream } from './stream.ts';
import { raw } from './raw.ts';
import { embed } from './embed.ts';
import { output, runInvocation, submit } from './async-invocations.ts';
import { modelGateway } from './model-gateway.ts';
import type { ModelGateway } from '../platform/capabilities/models.ts';
import type { BreakerReport } from '../platform/resilience/resilience.ts';

export type { Caller, InvokeBody, ModelServiceOptions } from './calls.ts';

export class ModelService {
  private readonly calls: ModelCalls;

  constructor(private readonly o: ModelServiceOptions) {
    this.calls = new ModelCalls(o);
  }

  listModels() {
    const view = ({ family: _family, inference_profile: _profile, ...model }: CatalogueModel) => model;
    const models = this.o.catalogue.available();
    return {
      text_models: models.filter((m) => m.kind === 'text').map(view),
      embed_models: models.filter((m) => m.kind === 'embed').map(view),
    };
  }

  /** The providers' circuit breakers, as the kernel reports them (the admin's health overview). */
  breakers(): BreakerReport<ProviderName>[] { return this.o.resilience.report(); }

  /** The providers' circuit breakers, for the service health. */
  circuitBreakers(): Schemas['CircuitBreakerState'][] {
    return this.breakers().map(({ provider, model, state, consecutiveFailures, retryAfterSeconds }) => ({
      provider,
      ...(model !== undefined && { model_name: model }),
      state,
      consecutive_failures: consecutiveFailures,
      ...(retryAfterSeconds !== undefined && { retry_after_seconds: retryAfterSeconds }),
    }));
  }

  /** The `models` capability, for the modules that require it. */
  gateway(): ModelGateway { return modelGateway(this.calls, this.o.catalogue); }

  invoke(caller: Caller, body: InvokeBody) { return invoke(this.calls, caller, body); }
  stream(caller: Caller, body: InvokeBody) { return stream(this.calls, caller, body); }
  raw(caller: Caller, body: Schemas['RawInvokeRequest']) { return raw(this.calls, caller, body); }
  embed(caller: Caller, body: Schemas['EmbedRequest']) { return embed(this.calls, caller, body); }
  submit(caller: Caller, body: InvokeBody) { return submit(this.calls, caller, body); }
  output(caller: Caller, invocationId: string) { return output(this.calls, caller, invocationId); }
  runInvocation(job: Job, lastAttempt: boolean, signal: AbortSignal) { return runInvocation(this.calls, job, lastAttempt, signal); }
}
