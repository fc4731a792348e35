// A request of an application, as the vector service's domain sees it: who calls, its request id
// and its abort signal — what a model call made on its behalf needs (ModelCallContext, via 'vector').
import type { AppPrincipal } from '../platform/auth/token-verifier.ts';
import type { ModelCallContext } from '../platform/capabilities/models.ts';

export interface AppCall {
  principal: AppPrincipal;
  requestId: string;
  signal: AbortSignal;
}

/** Model calls of the vector API are metered as `vector.embed`, under the app's limits. */
export const modelContext = ({ principal, requestId, signal }: AppCall): ModelCallContext => ({
  appId: principal.appId, limits: principal.limits, requestId, signal, via: 'vector',
});
