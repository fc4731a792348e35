// The synchronous chat call: invoke, and the metered provider call it shares with background invocations.
import { requestChars } from './chat-request.ts';
import { target, withEstimates, type Caller, type InvokeBody, type ModelCalls, type ModelOperation, type PreparedChat, type Schemas } from './calls.ts';

export async function invoke(calls: ModelCalls, caller: Caller, body: InvokeBody): Promise<Schemas['InvokeModelResponse']> {
  return callChat(calls, caller, await calls.prepareChat(caller, body), 'invoke');
}

export function callChat(calls: ModelCalls, caller: Caller, { model, provider, request, reservation }: PreparedChat, operation: ModelOperation) {
  return calls.metered(caller, reservation, operation, model, async () => {
    const result = await calls.options.resilience.call(target(model), caller.signal, (signal) => provider.chat(model, request, signal));
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
