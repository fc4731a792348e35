// The model service's settings, read from the environment once at start (ServiceModule.readConfig).
import { ConfigError, integer, url, type Env } from '../platform/config.ts';

export interface ModelConfig {
  /** OpenAI-compatible server (Ollama, vLLM, llama.cpp, OpenAI), e.g. http://localhost:11434/v1. */
  openAiBaseUrl: string | undefined;
  openAiApiKey: string | undefined;
  /** Comma-separated model names served there; `name:embed` marks an embedding model. */
  openAiModels: string | undefined;
  openAiContextWindow: number;
  /** Region for Bedrock; Bedrock models are offered only when it is set. */
  bedrockRegion: string | undefined;
  timeoutMs: number;
  /** Deadline of a stream from request to last event; its opening is under timeoutMs too. */
  streamTimeoutMs: number;
  /** Longest silence between two events of a stream that has begun. */
  streamIdleTimeoutMs: number;
  maxRetries: number;
  /** Consecutive failures of a provider that open its circuit breaker (for 30 s). */
  breakerFailures: number;
  asyncResultTtlSeconds: number;
  asyncConcurrency: number;
  /** Lease of a running background job, renewed every third of it: after a crash it runs again this soon. */
  asyncLeaseSeconds: number;
}

export function readModelConfig(env: Env): ModelConfig {
  const timeoutMs = integer(env, 'MODEL_TIMEOUT_MS', 120_000, 100, 900_000);
  // A stream may run longer than one plain call, never shorter: its opening is a plain call.
  const streamTimeoutMs = integer(env, 'MODEL_STREAM_TIMEOUT_MS', Math.max(600_000, timeoutMs), timeoutMs, 3_600_000);
  if (env.OPENAI_MODELS && !env.OPENAI_BASE_URL) throw new ConfigError('OPENAI_MODELS needs OPENAI_BASE_URL (the OpenAI-compatible server that serves them)');
  return {
    openAiBaseUrl: env.OPENAI_BASE_URL ? url(env, 'OPENAI_BASE_URL', '') : undefined,
    openAiApiKey: env.OPENAI_API_KEY || undefined,
    openAiModels: env.OPENAI_MODELS || undefined,
    openAiContextWindow: integer(env, 'OPENAI_CONTEXT_WINDOW', 32768, 512, 10_000_000),
    bedrockRegion: env.BEDROCK_REGION || env.AWS_REGION || undefined,
    timeoutMs,
    streamTimeoutMs,
    streamIdleTimeoutMs: integer(env, 'MODEL_STREAM_IDLE_TIMEOUT_MS', 60_000, 100, 900_000),
    maxRetries: integer(env, 'MODEL_MAX_RETRIES', 2, 0, 10),
    breakerFailures: integer(env, 'MODEL_CIRCUIT_BREAKER_FAILURES', 5, 1, 10_000),
    asyncResultTtlSeconds: integer(env, 'ASYNC_RESULT_TTL_SECONDS', 86_400, 60, 30 * 86_400),
    asyncConcurrency: integer(env, 'ASYNC_CONCURRENCY', 4, 1, 64),
    asyncLeaseSeconds: integer(env, 'ASYNC_LEASE_SECONDS', 30, 3, 3600),
  };
}
