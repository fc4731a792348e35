// The model service as a platform module: its schema and queue, the AWS access of its
// service and worker roles, and its handlers and worker on the kernel. The service itself is
// loaded only when started, so the CDK app can read these declarations without it.
import type { AwsGrants, ServiceModule } from '../platform/module.ts';
import { readModelConfig, type ModelConfig } from './config.ts';

/** Background invocations. */
export const ASYNC_QUEUE = 'model-invocations';

/** Jobs of this kind in the kernel's job store: one per background invocation, with one item. */
export const INVOCATION_JOB_KIND = 'model-invocation';

const shared: AwsGrants = { tables: { apps: 'read', usage: 'readWrite', jobs: 'readWrite' }, capabilities: ['bedrock:invoke'] };

export const modelModule: ServiceModule<ModelConfig> = {
  name: 'model',
  title: 'Model Invocation Service',
  sqliteMigrations: [
    `
  CREATE TABLE model_invocations (
    id TEXT PRIMARY KEY,
    app_id TEXT NOT NULL REFERENCES apps (app_id) ON DELETE CASCADE,
    request_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('QUEUED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED')),
    request TEXT NOT NULL,
    result TEXT,
    error TEXT,
    created_at TEXT NOT NULL,
    completed_at TEXT,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX model_invocations_expiry ON model_invocations (expires_at);
  `,
    // Background invocations moved to the kernel's job store (job_records, made by the kernel's
    // migrations, which run first): the unexpired ones are carried over, with their queue messages
    // still valid (same id and app), then the old table goes.
    `
  INSERT INTO job_records (app_id, job_id, kind, state, input, total, succeeded, failed, cancelled,
                           retention_seconds, created_at, updated_at, finished_at, expires_at)
  SELECT app_id, id, 'model-invocation',
         CASE status WHEN 'SUCCEEDED' THEN 'COMPLETED' ELSE status END,
         json_object('request', json(request), 'requestId', request_id),
         1, status = 'SUCCEEDED', status = 'FAILED', 0,
         MAX(60, expires_at / 1000 - CAST(strftime('%s', created_at) AS INTEGER)),
         created_at, COALESCE(completed_at, created_at), completed_at,
         CASE WHEN status IN ('SUCCEEDED', 'FAILED') THEN expires_at END
  FROM model_invocations
  WHERE expires_at > CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER);

  INSERT INTO job_items (app_id, job_id, item_id, state, input, result, error, attempts, created_at, updated_at, finished_at)
  SELECT m.app_id, m.id, 'invocation', m.status, 'null', m.result, m.error, m.status <> 'QUEUED',
         m.created_at, COALESCE(m.completed_at, m.created_at), m.completed_at
  FROM model_invocations m JOIN job_records j ON j.app_id = m.app_id AND j.job_id = m.id;

  DROP TABLE model_invocations;
  `,
  ],
  legacySqliteVersion: (global) => (global >= 2 ? 1 : 0),
  queues: [ASYNC_QUEUE],
  worker: true,
  aws: {
    service: { ...shared, queues: { send: [ASYNC_QUEUE] } },
    // The worker reads apps too: a deactivated app's invocations are cancelled.
    worker: { ...shared, queues: { consume: [ASYNC_QUEUE] } },
  },

  readConfig: readModelConfig,

  async start(kernel, run, config) {
    const { createModelModule } = await import('./model-module.ts');
    const { modelHandlers } = await import('./handlers.ts');
    const model = createModelModule(config, kernel, kernel.log, run.worker);
    const models: Record<string, string[]> = {};
    const { text_models, embed_models } = model.service.listModels();
    for (const m of [...text_models, ...embed_models]) (models[m.provider] ??= []).push(m.model_name);
    return {
      ...(run.service && {
        service: {
          handlers: modelHandlers(model.service, kernel.ping),
          authenticators: { AppToken: kernel.verifyAppToken },
          typelessBodyIsJson: true,
        },
      }),
      summary: { models },
      circuitBreakers: () => model.service.breakers(),
      // Started in every process (whatever SERVICE says), so modules that require it have it.
      provides: { models: model.service.gateway() },
      close: () => model.close(),
    };
  },
};
