// The model service as a platform module: its schema, table and queue, the AWS access of its
// service and worker roles, and its handlers and worker on the kernel. The service itself is
// loaded only when started, so the CDK app can read these declarations without it.
import type { AwsGrants, ServiceModule } from '../platform/module.ts';

/** Background invocations. */
export const ASYNC_QUEUE = 'model-invocations';

const shared: AwsGrants = { tables: { apps: 'read', usage: 'readWrite', invocations: 'readWrite' }, capabilities: ['bedrock:invoke'] };

export const modelModule: ServiceModule = {
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
  ],
  legacySqliteVersion: (global) => (global >= 2 ? 1 : 0),
  tables: {
    /** Background model invocations, deleted by TTL when their result expires. */
    invocations: { partitionKey: 'id', ttl: 'ttl', indexes: [] },
  },
  queues: [ASYNC_QUEUE],
  worker: true,
  aws: {
    service: { ...shared, queues: { send: [ASYNC_QUEUE] } },
    // The worker reads apps too: a deactivated app's invocations are cancelled.
    worker: { ...shared, queues: { consume: [ASYNC_QUEUE] } },
  },

  async start(kernel, run) {
    const { createModelModule } = await import('./model-module.ts');
    const { modelHandlers } = await import('./handlers.ts');
    const { sqliteInvocationStore } = await import('./invocation-store.ts');
    const { dynamoInvocationStore } = await import('./dynamodb-invocation-store.ts');
    const invocations = kernel.store.kind === 'sqlite' ? sqliteInvocationStore(kernel.store.db) : dynamoInvocationStore(kernel.store.dynamo);
    const model = createModelModule(kernel.config.model, { ...kernel, invocations }, kernel.log, run.worker);
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
      close: () => model.close(),
    };
  },
};
