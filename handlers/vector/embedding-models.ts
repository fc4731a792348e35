// Which embedding model an index gets and its dimension: the one asked for, else the platform's
// default (VECTOR_EMBEDDING_MODEL, else its first `embed` model, the offline local one first). The
// dimension comes from the model catalogue; a model that declares none (an OpenAI-compatible one,
// e.g. Ollama's) is asked for one embedding on the caller's behalf and measured.
import { ProblemError } from '../platform/problems.ts';
import type { GatewayModel, ModelCallContext, ModelGateway } from '../platform/capabilities/models.ts';

export interface EmbeddingModel {
  name: string;
  dimension: number;
}

const FIELD = 'body.embedding_model';
const DIMENSION_PROBE = 'dimension';

export function defaultEmbeddingModelName(models: GatewayModel[], configured: string | undefined): string | undefined {
  if (configured) return configured;
  const embedders = models.filter((m) => m.kind === 'embed');
  return (embedders.find((m) => m.provider === 'local') ?? embedders[0])?.name;
}

export async function resolveEmbeddingModel(
  models: ModelGateway, configured: string | undefined, requested: string | undefined, context: ModelCallContext,
): Promise<EmbeddingModel> {
  const all = models.list();
  const name = requested ?? defaultEmbeddingModelName(all, configured);
  if (!name) throw new ProblemError('UNKNOWN_MODEL', 'This platform offers no embedding model; configure one (see GET /model/list_models).', { errors: [{ path: FIELD, message: 'no embedding model configured' }] });
  const model = all.find((m) => m.name === name);
  if (!model) throw new ProblemError('UNKNOWN_MODEL', `No model ${name} on this platform; GET /model/list_models lists them.`, { errors: [{ path: FIELD, message: 'unknown model' }] });
  if (model.kind !== 'embed') throw new ProblemError('WRONG_MODEL_KIND', `${name} is not an embedding model.`, { errors: [{ path: FIELD, message: 'not an embedding model' }] });
  if (model.dimensions) return { name: model.name, dimension: model.dimensions };
  const probe = await models.embed(context, { model: model.name, texts: [DIMENSION_PROBE] });
  return { name: model.name, dimension: probe.embeddings[0]!.length };
}
