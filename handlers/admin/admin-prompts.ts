// Read-only views of an application's prompt templates, through the prompt module's `prompts`
// capability (the admin module never imports the prompt service). On a platform without the
// prompt service these routes answer SERVICE_NOT_PRESENT and the portal hides the page.
import { ProblemError } from '../platform/problems.ts';
import type { AppStore } from '../platform/store/ports.ts';
import type { PromptTemplates } from '../platform/capabilities/prompts.ts';
import { existingApp } from './existing-app.ts';

const DEFAULT_LIMIT = 20;

export class AdminPrompts {
  constructor(private readonly apps: Pick<AppStore, 'findById'>, private readonly prompts: PromptTemplates | undefined) {}

  async page(appId: string, query: { limit?: number; cursor?: string }) {
    const prompts = this.present();
    await existingApp(this.apps, appId);
    return prompts.page(appId, query.limit ?? DEFAULT_LIMIT, query.cursor);
  }

  async versions(appId: string, name: string) {
    const prompts = this.present();
    await existingApp(this.apps, appId);
    return { items: await prompts.versions(appId, name) };
  }

  private present(): PromptTemplates {
    if (!this.prompts) throw new ProblemError('SERVICE_NOT_PRESENT', 'This platform runs without the prompt service.');
    return this.prompts;
  }
}
