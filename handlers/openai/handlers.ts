import type { operations } from '../../generated/types/openai.ts';
import type { Handlers, HandlerInput } from '../platform/http/handler-types.ts';
import type { ModelCallContext, ModelGateway } from '../platform/capabilities/models.ts';
import type { ApiKeyPrincipal } from '../platform/api-keys/api-keys.ts';
import { ProblemError } from '../platform/problems.ts';
import { completion, completionChunks } from './chat-completions.ts';
import { embeddings } from './embeddings.ts';

/** The ledger marks these calls as the OpenAI surface's (operations openai.chat, openai.stream, openai.embed). */
const VIA = 'openai';

/** The call, on behalf of the key's application, if the key may use this model. */
function context({ principal, context, signal }: HandlerInput<unknown, ApiKeyPrincipal>, model: string): ModelCallContext {
  if (principal.models && !principal.models.includes(model)) {
    throw new ProblemError('MODEL_NOT_ALLOWED', `This API key may not use the model ${model}.`, { errors: [{ path: 'body.model', message: 'is not in the key\'s model allow-list' }] });
  }
  return { appId: principal.appId, limits: principal.limits, requestId: context.requestId, signal, via: VIA };
}

export const openAiHandlers = (models: ModelGateway) =>
  ({
    createChatCompletion: async (input) => {
      const call = context(input, input.body.model);
      return input.body.stream
        ? { status: 200, events: await completionChunks(models, call, input.body) }
        : { status: 200, body: await completion(models, call, input.body) };
    },
    createEmbedding: async (input) => ({ status: 200, body: await embeddings(models, context(input, input.body.model), input.body) }),
    listOpenAiModels: async ({ principal }) => ({
      status: 200,
      body: {
        object: 'list',
        data: models.list()
          .filter((m) => !principal.models || principal.models.includes(m.name))
          .map((m) => ({ id: m.name, object: 'model', created: 0, owned_by: m.provider })),
      },
    }),
  }) satisfies Handlers<operations, ApiKeyPrincipal>;
