// Capabilities between modules, through the kernel: a module's start may return
// `provides: { models }`; the composition root hands what earlier modules provided to later ones on
// `kernel.capabilities`. A module names what it needs in its declaration (`requires`), so the root
// refuses to start it, with a clear error, when no module listed before it provides that.
import type { ModelGateway } from './models.ts';
import type { DocumentChunks } from './chunks.ts';
import type { PromptTemplates } from './prompts.ts';
import type { AppTokens } from './app-tokens.ts';
import { ConfigError } from '../config.ts';

export interface Capabilities {
  /** The model engine: chat, streamed chat, embeddings, the catalogue (the model module's). */
  models: ModelGateway;
  /** Chunking jobs and their chunks, read on an app's behalf (the document module's). */
  chunks: DocumentChunks;
  /** An application's prompt templates, read-only (the prompt module's). */
  prompts: PromptTemplates;
  /** Tokens minted for an app without its secret (the auth module's, with local identity only). */
  appTokens: AppTokens;
}

export type CapabilityName = keyof Capabilities;

/** What the root has collected so far, as modules start in list order. */
export class CapabilityRegistry {
  readonly provided: Partial<Capabilities> = {};
  private readonly providers = new Map<CapabilityName, string>();

  /** Throws when a capability `moduleName` requires has not been provided by a module started before it. */
  check(moduleName: string, requires: readonly CapabilityName[] = []): void {
    const missing = requires.filter((name) => !this.provided[name]);
    if (missing.length) {
      throw new ConfigError(
        `module "${moduleName}" requires the capabilit${missing.length > 1 ? 'ies' : 'y'} ${missing.map((m) => `"${m}"`).join(', ')}, ` +
          'which no module listed before it provides: list the provider earlier in handlers/modules.ts',
      );
    }
  }

  add(moduleName: string, provides: Partial<Capabilities> = {}): void {
    for (const [name, value] of Object.entries(provides) as [CapabilityName, Capabilities[CapabilityName]][]) {
      const earlier = this.providers.get(name);
      if (earlier) throw new ConfigError(`modules "${earlier}" and "${moduleName}" both provide the capability "${name}"`);
      this.providers.set(name, moduleName);
      (this.provided as Record<CapabilityName, unknown>)[name] = value;
    }
  }
}

/** The capability a module declared in `requires` (the root has checked it is there). */
export function capability<N extends CapabilityName>(capabilities: Partial<Capabilities>, name: N): Capabilities[N] {
  const found = capabilities[name];
  if (!found) throw new Error(`the capability "${name}" is not provided: declare requires: ['${name}'] on the module`);
  return found as Capabilities[N];
}
