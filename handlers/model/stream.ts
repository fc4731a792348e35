// The streamed chat call: opens the provider's stream like any call, then relays its events and meters it.
import { ProblemError } from '../platform/problems.ts';
import type { ServerSentEvent } from '../platform/http/handler-types.ts';
import type { StreamEvent } from './providers/provider.ts';
import type { UpstreamError } from '../platform/resilience/upstream-error.ts';
import { StreamDeadlines } from './stream-deadlines.ts';
import { requestChars } from './chat-request.ts';
import { target, withEstimates, type Caller, type InvokeBody, type ModelCalls, type PreparedChat } from './calls.ts';

/**
 * Checks the request and opens the provider's stream up to its first event (retrying like any
 * call), so every failure until then is an ordinary problem response; then streams.
 */
export async function stream(calls: ModelCalls, caller: Caller, body: InvokeBody): Promise<AsyncIterable<ServerSentEvent>> {
  const prepared = await calls.prepareChat(caller, body);
  const { model, provider, request, reservation } = prepared;
  const started = performance.now();
  const deadlines = new StreamDeadlines(calls.options.stream, caller.signal);
  try {
    const { opened, end } = await calls.options.resilience.open(target(model), caller.signal, async (signal) => {
      const iterator = provider.chatStream(model, request, deadlines.opening(signal))[Symbol.asyncIterator]();
      return { iterator, first: await iterator.next() };
    });
    deadlines.opened();
    return streamEvents(calls, caller, prepared, opened, started, deadlines, end);
  } catch (error) {
    deadlines.close();
    calls.accountFailure(caller, reservation, 'stream', model, performance.now() - started, error);
    throw error;
  }
}

async function* streamEvents(
  calls: ModelCalls,
  caller: Caller,
  { model, provider, request, reservation }: PreparedChat,
  { iterator, first }: { iterator: AsyncIterator<StreamEvent>; first: IteratorResult<StreamEvent> },
  started: number,
  deadlines: StreamDeadlines,
  /** Gives the breakers the stream's verdict. */
  end: (outcome: 'finished' | 'released' | UpstreamError) => void,
): AsyncIterable<ServerSentEvent> {
  let produced = 0;
  let fault: UpstreamError | undefined;
  let done: Extract<StreamEvent, { type: 'done' }> | undefined;
  let failure: ProblemError | undefined;
  try {
    for (let step = first; !step.done; step = await deadlines.next(iterator)) {
      if (step.value.type === 'delta') {
        produced += step.value.text.length;
        yield { event: 'delta', data: { text: step.value.text } };
      } else {
        done = step.value;
      }
    }
  } catch (error) {
    // After the first event a failure ends the stream: a client that went away needs no
    // event; anything else is told with an `error` event.
    if (!caller.signal.aborted) {
      failure = deadlines.failure(error, provider.name);
      fault = deadlines.upstreamFault(error);
    }
  } finally {
    deadlines.close();
    end(fault ?? (caller.signal.aborted || failure ? 'released' : 'finished'));
    // Runs also when the consumer stops early (client gone): the call is accounted either way.
    const usage = withEstimates(done ?? {}, requestChars(request), produced);
    const status = caller.signal.aborted ? 'CANCELLED' : failure ? 'FAILED' : 'SUCCESS';
    calls.account(caller, reservation, 'stream', model, usage, performance.now() - started, status, failure?.code ?? null);
    if (caller.signal.aborted) await iterator.return?.();
  }
  if (failure) {
    // The HTTP layer writes it as the problem body a failed call would have had.
    yield { event: 'error', data: failure };
  } else if (done) {
    const usage = withEstimates(done, requestChars(request), produced);
    yield {
      event: 'done',
      data: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens, finish_reason: done.finishReason, model_name: model.model_name },
    };
  }
}
