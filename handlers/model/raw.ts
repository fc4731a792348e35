// The raw call: a provider-native body sent as given, pinned to the catalogue model it names, and metered.
import { ProblemError } from '../platform/problems.ts';
import type { CatalogueModel } from './catalogue.ts';
import { contextExceeded, estimateTokens, target, worstCase, type Caller, type ModelCalls, type Schemas } from './calls.ts';

export async function raw(calls: ModelCalls, caller: Caller, body: Schemas['RawInvokeRequest']): Promise<Schemas['RawInvokeResponse']> {
  const model = calls.options.catalogue.resolve(body.model_id, { field: 'body.model_id' });
  const provider = calls.provider(model);
  pinnedToCatalogue(model, body.raw_input);
  const estimate = estimateTokens(JSON.stringify(body.raw_input).length);
  if (estimate > model.context_window) throw contextExceeded(model, estimate, 'body.raw_input');
  // Native bodies name their output cap differently; the common top-level max_tokens is read.
  const maxTokens = Number.isSafeInteger(body.raw_input.max_tokens) ? body.raw_input.max_tokens as number : undefined;
  const reservation = await calls.options.limits.admit(caller.principal.appId, caller.principal.limits, worstCase(model, estimate, maxTokens));
  return calls.metered(caller, reservation, 'raw', model, async () => {
    const result = await calls.options.resilience.call(target(model), caller.signal, (signal) => provider.raw(model, body.raw_input, signal));
    return {
      usage: { inputTokens: result.inputTokens ?? 0, outputTokens: result.outputTokens ?? 0 },
      value: { model_name: model.model_name, raw_output: result.output, input_tokens: result.inputTokens ?? null, output_tokens: result.outputTokens ?? null },
    };
  });
}

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
