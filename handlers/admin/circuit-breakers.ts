// The health overview's circuit breakers: every module's, as its health check reports them.
import type { HealthCheck } from '../platform/module.ts';
import type { components } from '../../generated/types/admin.ts';

type CircuitBreaker = components['schemas']['CircuitBreaker'];

export function circuitBreakers(services: HealthCheck[], now = Date.now()): CircuitBreaker[] {
  return services.flatMap(({ serviceName, circuitBreakers }) =>
    (circuitBreakers?.() ?? []).map(({ provider, model, state, consecutiveFailures, retryAfterSeconds }) => ({
      service_name: serviceName,
      provider,
      ...(model !== undefined && { target: model }),
      state,
      consecutive_failures: consecutiveFailures,
      ...(retryAfterSeconds !== undefined && { reopens_at: new Date(now + retryAfterSeconds * 1000).toISOString() }),
    })),
  );
}
