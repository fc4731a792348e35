// The `models` capability (platform/capabilities/models.ts), served by this module's engine: the
// same checks, limits, retries, breakers, deadlines and metering as the model API, in the
// capability's domain terms. Problems name the capability request's fields (model, messages, texts).
import type {
  GatewayChatRequest, GatewayStreamEvent, ModelCallContext, ModelGateway,
} from '../platform/capabilities/models.ts';
import { ProblemError } from '../platform/problems.ts';
import type { ServerSentEvent } from '../platform/http/handler-types.ts';
import type { Catalogue } from './catalogue.ts';
import type { Caller, ModelCalls, Schemas } from './calls.ts';
import type { ChatRequest } from './providers/provider.ts';
import { callChat } from './invoke.ts';
import { streamChat } from './stream.ts';
import { embedTexts } from './embed.ts';

const CHAT_FIELDS = { model: 'model', prompt: 'messages' };

const callerOf = ({ appId, limits, requestId, signal }: ModelCallContext): Caller => ({ principal: { appId, limits }, requestId, signal });

function chatRequest({ messages, maxTokens, temperature, topP, stop }: GatewayChatRequest): ChatRequest {
  return {
    system: messages.filter((m) => m.role === 'system').map((m) => m.text),
    messages: messages.flatMap((m) => (m.role === 'system' ? [] : [{ role: m.role, text: m.text }])),
    maxTokens, temperature, topP, stopSequences: stop,
  };
}

export function modelGateway(calls: ModelCalls, catalogue: Catalogue): ModelGateway {
  return {
    async chat(context, request) {
      const caller = callerOf(context);
      const prepared = await calls.prepare(caller, request.model, chatRequest(request), CHAT_FIELDS);
      const answer = await callChat(calls, caller, prepared, `${context.via}.chat`);
      return {
        model: answer.model_name, text: answer.output_text, finishReason: answer.finish_reason,
        inputTokens: answer.input_tokens, outputTokens: answer.output_tokens,
      };
    },
    async chatStream(context, request) {
      const caller = callerOf(context);
      const prepared = await calls.prepare(caller, request.model, chatRequest(request), CHAT_FIELDS);
      return gatewayEvents(await streamChat(calls, caller, prepared, `${context.via}.stream`));
    },
    async embed(context, { model, texts, dimensions }) {
      const result = await embedTexts(calls, callerOf(context), model, texts, { dimensions }, `${context.via}.embed`, { model: 'model', texts: 'texts' });
      return { model: result.model.model_name, embeddings: result.embeddings, inputTokens: result.inputTokens };
    },
    list() {
      return catalogue.available().map((m) => ({
        name: m.model_name, kind: m.kind, provider: m.provider, contextWindow: m.context_window,
        ...(m.dimensions !== undefined && { dimensions: m.dimensions }),
      }));
    },
  };
}

/** The model API's stream events, as the capability's. */
async function* gatewayEvents(events: AsyncIterable<ServerSentEvent>): AsyncIterable<GatewayStreamEvent> {
  for await (const { event, data } of events) {
    if (event === 'delta') yield { type: 'delta', text: (data as { text: string }).text };
    else if (event === 'error') yield { type: 'error', error: data as ProblemError };
    else {
      const done = data as Omit<Schemas['InvokeModelResponse'], 'output_text'>;
      yield { type: 'done', model: done.model_name, finishReason: done.finish_reason, inputTokens: done.input_tokens, outputTokens: done.output_tokens };
    }
  }
}
