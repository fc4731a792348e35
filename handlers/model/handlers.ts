import type { operations } from '../../generated/types/model.ts';
import type { Handlers, HandlerInput } from '../platform/http/handler-types.ts';
import { toProblem } from '../platform/http/problem.ts';
import type { AppPrincipal } from '../platform/auth/token-verifier.ts';
import type { Caller, ModelService } from './model-service.ts';

const caller = ({ principal, context, signal }: HandlerInput<unknown, AppPrincipal>): Caller => ({
  principal,
  requestId: context.requestId,
  signal,
});

export const modelHandlers = (models: ModelService, ping: () => Promise<void>) =>
  ({
    invokeModel: async (input) => ({ status: 200, body: await models.invoke(caller(input), input.body) }),
    invokeModelStream: async (input) => ({ status: 200, events: await models.stream(caller(input), input.body) }),
    invokeModelWithRawInput: async (input) => ({ status: 200, body: await models.raw(caller(input), input.body) }),
    embedText: async (input) => ({ status: 200, body: await models.embed(caller(input), input.body) }),
    invokeModelAsync: async (input) => ({ status: 200, body: await models.submit(caller(input), input.body) }),
    getAsyncModelOutput: async (input) => {
      const { finished, body, failure } = await models.output(caller(input), input.params.invocation_id);
      // A failed invocation tells its problem as its submission would have: with that request's id.
      const error = failure && toProblem(failure.error, failure.requestId, input.context.path);
      return finished ? { status: 200, body: { ...body, ...(error && { error }) } } : { status: 202, body };
    },
    listModels: async () => ({ status: 200, body: models.listModels() }),
    getModelServiceHealth: async () => {
      await ping();
      return { status: 200, body: { status: 'UP', circuit_breakers: models.circuitBreakers() } };
    },
  }) satisfies Handlers<operations, AppPrincipal>;
