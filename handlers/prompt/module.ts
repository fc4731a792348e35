// The prompt service as a platform module: its schema, its table, and its handlers on the kernel.
import type { ServiceModule } from '../platform/module.ts';
import { sqlitePromptStore } from './sqlite-prompt-store.ts';
import { dynamoPromptStore } from './dynamodb-prompt-store.ts';
import { Prompts } from './prompts.ts';
import { promptHandlers } from './handlers.ts';
import type { PromptTemplates } from '../platform/capabilities/prompts.ts';

export const promptModule: ServiceModule = {
  name: 'prompt',
  title: 'Prompt Management Service',
  sqliteMigrations: [
    `
  CREATE TABLE prompt_versions (
    app_id TEXT NOT NULL REFERENCES apps (app_id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    template TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (app_id, name, version)
  ) STRICT;

  CREATE TABLE prompt_labels (
    app_id TEXT NOT NULL,
    name TEXT NOT NULL,
    label TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (app_id, name, label),
    FOREIGN KEY (app_id, name, version) REFERENCES prompt_versions (app_id, name, version) ON DELETE CASCADE
  ) STRICT;
  `,
  ],
  legacySqliteVersion: (global) => (global >= 1 ? 1 : 0),
  tables: {
    /** Per app: template versions, labels and one head item per template name. */
    prompts: { partitionKey: 'appId', sortKey: 'sk', indexes: [{ name: 'heads', partitionKey: 'headAppId', sortKey: 'name' }] },
  },
  aws: { service: { tables: { apps: 'read', prompts: 'readWrite' } } },

  async start(kernel, run) {
    const store = kernel.store.kind === 'sqlite' ? sqlitePromptStore(kernel.store.db) : dynamoPromptStore(kernel.store.dynamo);
    const prompts = new Prompts(store);
    return {
      ...(run.service && {
        service: {
          handlers: promptHandlers(prompts, kernel.ping),
          authenticators: { AppToken: kernel.verifyAppToken },
          typelessBodyIsJson: true,
        },
      }),
      // Started in every process, so the admin's read-only views have it whatever SERVICE says.
      provides: { prompts: prompts satisfies PromptTemplates },
    };
  },
};
