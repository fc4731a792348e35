import type { operations } from '../../generated/types/prompt.ts';
import type { Handlers } from '../platform/http/handler-types.ts';
import type { AppPrincipal } from '../platform/auth/token-verifier.ts';
import type { Prompts } from './prompts.ts';

export const promptHandlers = (prompts: Prompts, ping: () => Promise<void>) =>
  ({
    createPromptTemplate: async ({ principal, body }) => ({
      status: 200,
      body: await prompts.save(principal.appId, body.name, body.prompt_template),
    }),
    getPromptTemplate: async ({ principal, body }) => ({
      status: 200,
      body: await prompts.get(principal.appId, body.name, { label: body.label }),
    }),
    listPromptTemplateVersions: async ({ principal, body }) => ({
      status: 200,
      body: await prompts.versions(principal.appId, body.name),
    }),
    getPromptTemplateVersion: async ({ principal, body }) => ({
      status: 200,
      body: await prompts.get(principal.appId, body.name, { version: body.vnum }),
    }),
    renderPromptTemplate: async ({ principal, body }) => ({
      status: 200,
      body: await prompts.render(principal.appId, body.name, { version: body.version, label: body.label }, body.variables ?? {}),
    }),
    setPromptTemplateLabel: async ({ principal, body }) => ({
      status: 200,
      body: await prompts.setLabel(principal.appId, body.name, body.label, body.version),
    }),
    deletePromptTemplate: async ({ principal, body }) => ({
      status: 200,
      body: await prompts.delete(principal.appId, body.name),
    }),
    listPromptTemplatesByName: async ({ principal }) => ({
      status: 200,
      body: await prompts.byName(principal.appId),
    }),
    listPromptTemplates: async ({ principal, query }) => ({
      status: 200,
      body: await prompts.page(principal.appId, query.limit ?? 20, query.cursor),
    }),
    getPromptServiceHealth: async () => {
      await ping();
      return { status: 200, body: { status: 'UP' } };
    },
  }) satisfies Handlers<operations, AppPrincipal>;
