// Assembles the model service from the configuration: the catalogue, one adapter per configured
// provider, the resilience layer, limits, ledger, and the in-process worker for background calls.
import type { ModelConfig } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import type { JobQueue } from '../platform/queue/ports.ts';
import { QueueWorker } from '../platform/queue/worker.ts';
import { Catalogue, parseOpenAiModels, type ProviderName } from './catalogue.ts';
import { ASYNC_QUEUE, ModelService } from './model-service.ts';
import type { ModelProvider } from './providers/provider.ts';
import { OpenAiProvider } from './providers/openai.ts';
import { BedrockProvider } from './providers/bedrock.ts';
import { LocalEmbedder } from './providers/local-embedder.ts';
import { Resilience } from './resilience.ts';
import type { UsageLedger } from './usage-ledger.ts';
import type { UsageLimiter } from './usage-limits.ts';
import type { InvocationStore } from './invocation-store.ts';

const MAX_ATTEMPTS = 3;
const EXPIRY_SWEEP_MS = 10 * 60 * 1000;

export interface ModelStores {
  ledger: UsageLedger;
  limiter: UsageLimiter;
  invocations: InvocationStore;
  jobs: JobQueue;
}

export function createModelModule(config: ModelConfig, { ledger, limiter, invocations, jobs }: ModelStores, log: Logger, runWorker: boolean) {
  const local = new LocalEmbedder();
  const providers: Partial<Record<ProviderName, ModelProvider>> = { local };
  if (config.openAiBaseUrl) providers.openai = new OpenAiProvider({ baseUrl: config.openAiBaseUrl, apiKey: config.openAiApiKey });
  if (config.bedrockRegion) providers.bedrock = BedrockProvider.create(config.bedrockRegion);

  const catalogue = new Catalogue({
    configured: new Set(Object.keys(providers) as ProviderName[]),
    openAiModels: parseOpenAiModels(config.openAiModels),
    openAiContextWindow: config.openAiContextWindow,
  });
  let worker: QueueWorker | undefined;
  const service = new ModelService({
    catalogue,
    providers,
    resilience: new Resilience({ timeoutMs: config.timeoutMs, maxRetries: config.maxRetries, breakerThreshold: config.breakerFailures }),
    ledger,
    limits: limiter,
    invocations,
    jobs,
    asyncResultTtlSeconds: config.asyncResultTtlSeconds,
    onQueued: () => worker?.notify(),
  });
  if (runWorker) {
    worker = new QueueWorker(jobs, (job) => service.runInvocation(job, job.attempt >= MAX_ATTEMPTS), {
      queue: ASYNC_QUEUE,
      concurrency: config.asyncConcurrency,
      // Longer than any one call may take, so a live job is never delivered twice.
      leaseMs: config.timeoutMs + 30_000,
      maxAttempts: MAX_ATTEMPTS,
    }, log).start();
  }
  const sweep = setInterval(() => void invocations.deleteExpired(Date.now()), EXPIRY_SWEEP_MS).unref();

  return {
    service,
    ledger,
    async close() {
      clearInterval(sweep);
      await worker?.stop();
      await ledger.flush();
      await local.close();
    },
  };
}
