// The embedding call: checks the text against the embed model and the app's limits, embeds it, and meters it.
import { contextExceeded, estimateTokens, target, type Caller, type ModelCalls, type Schemas } from './calls.ts';

export async function embed(calls: ModelCalls, caller: Caller, body: Schemas['EmbedRequest']): Promise<Schemas['EmbedResponse']> {
  const model = calls.options.catalogue.resolve(body.model_name, { kind: 'embed' });
  const provider = calls.provider(model);
  const estimate = estimateTokens(body.input_text.length);
  if (estimate > model.context_window) throw contextExceeded(model, estimate);
  const reservation = await calls.options.limits.admit(caller.principal.appId, caller.principal.limits, estimate);
  return calls.metered(caller, reservation, 'embed', model, async () => {
    const options = { dimensions: body.dimensions ?? undefined, normalize: body.normalize ?? undefined, inputType: body.input_type ?? undefined };
    const result = await calls.options.resilience.call(target(model), caller.signal, (signal) => provider.embed(model, body.input_text, options, signal));
    const embedding = body.normalize ? unitLength(result.embedding) : result.embedding;
    const inputTokens = result.inputTokens ?? estimate;
    return {
      usage: { inputTokens, outputTokens: 0 },
      value: { embedding, input_tokens: inputTokens, model_name: model.model_name, dimensions: embedding.length },
    };
  });
}

function unitLength(vector: number[]): number[] {
  const norm = Math.hypot(...vector);
  return norm === 0 ? vector : vector.map((x) => x / norm);
}
