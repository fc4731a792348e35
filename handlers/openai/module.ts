// The OpenAI-compatible surface (`/v1/*`) as a module: OpenAI's wire format over the platform's
// model engine, reached through the kernel's `models` capability (the model module provides it and
// is started in this module's process too), authenticated by per-app API keys.
import type { ServiceModule } from '../platform/module.ts';

export const openAiModule: ServiceModule = {
  name: 'openai',
  title: 'OpenAI-compatible API',
  pathPrefix: 'v1',
  requires: ['models'],
  // What the model calls it makes need (like the model service's), and the keys it checks.
  aws: { service: { tables: { apps: 'read', usage: 'readWrite', 'api-keys': 'read' }, capabilities: ['bedrock:invoke'] } },

  async start(kernel, run) {
    if (!run.service) return undefined;
    const { capability } = await import('../platform/capabilities/registry.ts');
    const { createApiKeyVerifier } = await import('../platform/api-keys/api-keys.ts');
    const { openAiHandlers } = await import('./handlers.ts');
    const { openAiErrorBody } = await import('./openai-errors.ts');
    return {
      service: {
        handlers: openAiHandlers(capability(kernel.capabilities, 'models')),
        authenticators: { ApiKey: createApiKeyVerifier({ keys: kernel.apiKeys, apps: kernel.apps }) },
        errorBody: openAiErrorBody,
      },
    };
  },
};
