// POST /v1/embeddings on the `models` capability: one vector per input, as floats or as base64 of
// little-endian float32s (what OpenAI's SDKs ask for unless told otherwise).
import type { components } from '../../generated/types/openai.ts';
import type { ModelCallContext, ModelGateway } from '../platform/capabilities/models.ts';
import { ProblemError } from '../platform/problems.ts';

type Schemas = components['schemas'];

function base64(vector: number[]): string {
  const floats = Float32Array.from(vector);
  // Float32Array is in the machine's byte order; every platform Node runs on is little-endian.
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

export async function embeddings(models: ModelGateway, context: ModelCallContext, body: Schemas['EmbeddingRequest']): Promise<Schemas['EmbeddingList']> {
  const texts = typeof body.input === 'string' ? [body.input] : body.input;
  let result;
  try {
    result = await models.embed(context, { model: body.model, texts, dimensions: body.dimensions });
  } catch (error) {
    throw renamed(error);
  }
  const encode = body.encoding_format === 'base64' ? base64 : (vector: number[]) => vector;
  return {
    object: 'list',
    data: result.embeddings.map((vector, index) => ({ object: 'embedding', index, embedding: encode(vector) })),
    model: result.model,
    usage: { prompt_tokens: result.inputTokens, total_tokens: result.inputTokens },
  };
}

/** The gateway names the inputs `texts`; here they are `input`. */
function renamed(error: unknown): unknown {
  if (!(error instanceof ProblemError) || !error.options.errors) return error;
  const errors = error.options.errors.map((e) => ({ ...e, path: e.path === 'texts' ? 'input' : e.path }));
  return new ProblemError(error.code, error.detail, { ...error.options, errors });
}
