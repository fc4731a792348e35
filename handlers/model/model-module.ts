// Assembles the model service from the configuration: the catalogue, one adapter per configured
// provider, the resilience layer, limits, ledger, and the in-process worker for background calls.
import type { ModelConfig } from './config.ts';
import type { Logger } from '../platform/logger.ts';
import type { Job, JobQueue } from '../platform/queue/ports.ts';
import type { AppStore } from '../platform/store/ports.ts';
import { ProblemError } from '../platform/problems.ts';
import { QueueWorker } from '../platform/queue/worker.ts';
import { Catalogue, parseOpenAiModels, type ProviderName } from './catalogue.ts';
import { ModelService } from './model-service.ts';
import { ASYNC_QUEUE } from './module.ts';
import type { ModelProvider } from './providers/provider.ts';
import { OpenAiProvider } from './providers/openai.ts';
import { BedrockProvider } from './providers/bedrock.ts';
import { LocalEmbedder } from './providers/local-embedder.ts';
import { Resilience } from '../platform/resilience/resilience.ts';
import type { UsageLedger } from '../platform/usage/usage-ledger.ts';
import type { UsageLimiter } from '../platform/usage/usage-limits.ts';
import type { JobStore } from '../platform/jobs/ports.ts';

const MAX_ATTEMPTS = 3;

export interface ModelStores {
  ledger: UsageLedger;
  limiter: UsageLimiter;
  /** Background invocations: one job each in the kernel's job store. */
  jobStore: JobStore;
  jobs: JobQueue;
  /** Background work stops when its application is deactivated or deleted. */
  apps: Pick<AppStore, 'findById'>;
}

export function createModelModule(config: ModelConfig, { ledger, limiter, jobStore, jobs, apps }: ModelStores, log: Logger, runWorker: boolean) {
  const local = new LocalEmbedder();
  const providers: Partial<Record<ProviderName, ModelProvider>> = { local };
  if (config.openAiBaseUrl) providers.openai = new OpenAiProvider({ baseUrl: config.openAiBaseUrl, apiKey: config.openAiApiKey });
  if (config.bedrockRegion) providers.bedrock = BedrockProvider.create(config.bedrockRegion);

  const catalogue = new Catalogue({
    configured: new Set(Object.keys(providers) as ProviderName[]),
    openAiModels: parseOpenAiModels(config.openAiModels),
    openAiContextWindow: config.openAiContextWindow,
    bedrockRegion: config.bedrockRegion,
  });
  let worker: QueueWorker | undefined;
  const service = new ModelService({
    catalogue,
    providers,
    resilience: new Resilience<ProviderName>({ timeoutMs: config.timeoutMs, maxRetries: config.maxRetries, breakerThreshold: config.breakerFailures, upstreamNoun: 'model provider' }),
    stream: { idleMs: config.streamIdleTimeoutMs, totalMs: config.streamTimeoutMs },
    ledger,
    limits: limiter,
    jobStore,
    jobs,
    asyncResultTtlSeconds: config.asyncResultTtlSeconds,
    onQueued: () => worker?.notify(),
  });
  if (runWorker) {
    const appGone = async (job: Job) => {
      const app = await apps.findById((job.payload as { app_id: string }).app_id);
      if (app?.status === 'active') return undefined;
      return new ProblemError('APP_INACTIVE', 'The application was deactivated or deleted, so its background invocation was cancelled.');
    };
    worker = new QueueWorker(jobs, (job, signal) => service.runInvocation(job, job.attempt >= MAX_ATTEMPTS, signal), {
      queue: ASYNC_QUEUE,
      concurrency: config.asyncConcurrency,
      leaseMs: config.asyncLeaseSeconds * 1000,
      maxAttempts: MAX_ATTEMPTS,
      cancelReason: appGone,
    }, log).start();
  }

  return {
    service,
    ledger,
    async close() {
      await worker?.stop();
      await ledger.flush();
      await local.close();
    },
  };
}
