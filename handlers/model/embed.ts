// The embedding call: checks the texts against the embed model and the app's limits, embeds them, and meters them.
import type { CatalogueModel } from './catalogue.ts';
import type { EmbedOptions } from './providers/provider.ts';
import { contextExceeded, estimateTokens, target, type Caller, type ModelCalls, type ModelOperation, type Schemas } from './calls.ts';

export async function embed(calls: ModelCalls, caller: Caller, body: Schemas['EmbedRequest']): Promise<Schemas['EmbedResponse']> {
  const options = { dimensions: body.dimensions ?? undefined, normalize: body.normalize ?? undefined, inputType: body.input_type ?? undefined };
  const { model, embeddings: [vector], inputTokens } = await embedTexts(calls, caller, body.model_name, [body.input_text], options, 'embed');
  const embedding = body.normalize ? unitLength(vector!) : vector!;
  return { embedding, input_tokens: inputTokens, model_name: model.model_name, dimensions: embedding.length };
}

/**
 * Embeds several texts as one metered call: one reservation for them all, one ledger row, and one
 * provider call per batch of the provider's size (in order, each retried and breaker-guarded).
 * `fields` name the request's model and texts in problems.
 */
export async function embedTexts(
  calls: ModelCalls, caller: Caller, modelName: string, texts: string[], options: EmbedOptions, operation: ModelOperation,
  fields = { model: 'body.model_name', texts: 'body.input_text' },
): Promise<{ model: CatalogueModel; embeddings: number[][]; inputTokens: number }> {
  const model = calls.options.catalogue.resolve(modelName, { kind: 'embed', field: fields.model });
  const provider = calls.provider(model);
  const estimates = texts.map((text) => estimateTokens(text.length));
  const largest = Math.max(...estimates);
  if (largest > model.context_window) throw contextExceeded(model, largest, fields.texts);
  const estimate = estimates.reduce((a, b) => a + b, 0);
  const reservation = await calls.options.limits.admit(caller.principal.appId, caller.principal.limits, estimate);
  return calls.metered(caller, reservation, operation, model, async () => {
    const embeddings: number[][] = [];
    let inputTokens = 0;
    const size = provider.embedBatchSize(model);
    for (let at = 0; at < texts.length; at += size) {
      const batch = texts.slice(at, at + size);
      const result = await calls.options.resilience.call(target(model), caller.signal, (signal) => provider.embed(model, batch, options, signal));
      embeddings.push(...result.embeddings);
      inputTokens += result.inputTokens ?? estimates.slice(at, at + size).reduce((a, b) => a + b, 0);
    }
    return { usage: { inputTokens, outputTokens: 0 }, value: { model, embeddings, inputTokens } };
  });
}

function unitLength(vector: number[]): number[] {
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((x) => x / norm);
}
