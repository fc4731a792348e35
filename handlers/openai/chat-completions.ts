// POST /v1/chat/completions on the `models` capability: OpenAI's request to the gateway's, and
// the answer back as a chat.completion or as chat.completion.chunk events ending in [DONE].
import type { components } from '../../generated/types/openai.ts';
import type {
  GatewayChatRequest, GatewayFinishReason, GatewayMessage, GatewayStreamEvent, ModelCallContext, ModelGateway,
} from '../platform/capabilities/models.ts';
import type { ServerSentEvent } from '../platform/http/handler-types.ts';
import { ProblemError } from '../platform/problems.ts';
import { openAiError } from './openai-errors.ts';

type Schemas = components['schemas'];
type Request = Schemas['ChatCompletionRequest'];
type Message = Schemas['ChatCompletionMessage'];

const invalid = (param: string, message: string) =>
  new ProblemError('VALIDATION_ERROR', `${param} ${message}.`, { errors: [{ path: `body.${param}`, message }] });

/** OpenAI's finish reasons: a stop sequence is `stop`; tool use is never asked for, so any other end is `stop`. */
const FINISH: Record<GatewayFinishReason, Schemas['ChatFinishReason']> = {
  stop: 'stop', stop_sequence: 'stop', length: 'length', content_filter: 'content_filter', tool_use: 'stop', other: 'stop',
};

function text(message: Message, index: number): string {
  const { content } = message;
  if (content === undefined) throw invalid(`messages[${index}].content`, 'is required');
  return typeof content === 'string' ? content : content.map((part) => part.text).join('\n');
}

function gatewayMessage(message: Message, index: number): GatewayMessage {
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', text: text(message, index) };
    case 'tool':
      // No provider here takes tool results as such: the model reads it as the user telling it.
      if (!message.tool_call_id) throw invalid(`messages[${index}].tool_call_id`, 'is required for a tool message');
      return { role: 'user', text: `Result of tool call ${message.tool_call_id}:\n${text(message, index)}` };
    default:
      return { role: message.role, text: text(message, index) };
  }
}

/**
 * Consecutive messages of one role joined into one (blank line between): a tool result becomes a
 * user message, often next to one, and some providers (Bedrock's Converse) take only alternating turns.
 */
function alternating(messages: GatewayMessage[]): GatewayMessage[] {
  const joined: GatewayMessage[] = [];
  for (const message of messages) {
    const last = joined.at(-1);
    if (last && last.role === message.role && message.role !== 'system') joined[joined.length - 1] = { role: last.role, text: `${last.text}\n\n${message.text}` };
    else joined.push(message);
  }
  return joined;
}

export function gatewayRequest(body: Request): GatewayChatRequest {
  if (body.max_tokens != null && body.max_completion_tokens != null) {
    throw invalid('max_tokens', 'must not be sent together with max_completion_tokens');
  }
  if (body.stream_options != null && !body.stream) throw invalid('stream_options', 'is only allowed when stream is true');
  const stop = body.stop === undefined ? undefined : typeof body.stop === 'string' ? [body.stop] : body.stop;
  return {
    model: body.model,
    messages: alternating(body.messages.map(gatewayMessage)),
    maxTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined,
    temperature: body.temperature ?? undefined,
    topP: body.top_p ?? undefined,
    stop: stop?.length ? stop : undefined,
  };
}

const completionId = (requestId: string) => `chatcmpl-${requestId}`;
const unixNow = () => Math.floor(Date.now() / 1000);
const usage = (inputTokens: number, outputTokens: number) => ({
  prompt_tokens: inputTokens, completion_tokens: outputTokens, total_tokens: inputTokens + outputTokens,
});

export async function completion(models: ModelGateway, context: ModelCallContext, body: Request): Promise<Schemas['ChatCompletion']> {
  const answer = await models.chat(context, gatewayRequest(body));
  return {
    id: completionId(context.requestId),
    object: 'chat.completion',
    created: unixNow(),
    model: answer.model,
    choices: [{ index: 0, message: { role: 'assistant', content: answer.text, refusal: null }, finish_reason: FINISH[answer.finishReason], logprobs: null }],
    usage: usage(answer.inputTokens, answer.outputTokens),
  };
}

/** Opens the stream (failures until its first event are thrown, as error responses), then relays it as chunks. */
export async function completionChunks(models: ModelGateway, context: ModelCallContext, body: Request): Promise<AsyncIterable<ServerSentEvent>> {
  const request = gatewayRequest(body);
  const events = await models.chatStream(context, request);
  return chunks(events, { id: completionId(context.requestId), created: unixNow(), model: request.model }, body.stream_options?.include_usage === true);
}

async function* chunks(
  events: AsyncIterable<GatewayStreamEvent>, head: { id: string; created: number; model: string }, includeUsage: boolean,
): AsyncIterable<ServerSentEvent> {
  let model = head.model;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    ({ data: { id: head.id, object: 'chat.completion.chunk', created: head.created, model, choices, ...extra } });
  const choice = (delta: Record<string, unknown>, finishReason: string | null = null) => ({ index: 0, delta, logprobs: null, finish_reason: finishReason });
  yield chunk([choice({ role: 'assistant', content: '' })]);
  for await (const event of events) {
    if (event.type === 'delta') {
      yield chunk([choice({ content: event.text })]);
    } else if (event.type === 'error') {
      // OpenAI's clients raise an error for a data line that carries one.
      yield { data: { error: openAiError(event.error) } };
      return;
    } else {
      model = event.model;
      yield chunk([choice({}, FINISH[event.finishReason])]);
      if (includeUsage) yield chunk([], { usage: usage(event.inputTokens, event.outputTokens) });
    }
  }
  yield { data: '[DONE]', literal: true };
}
