// The `prompts` capability: read-only access to an application's prompt templates for modules
// other than the prompt service (the admin's read-only views), without importing it. The prompt
// module provides it. Every call names the owning app, as the prompt API's own calls do. The
// shapes are the prompt API's (its listing page and its template versions), so what an admin sees
// is what the application sees.

export interface PromptTemplateSummary {
  name: string;
  latest_version: number;
  /** label → version */
  labels: Record<string, number>;
  updated_at: string;
}

export interface PromptTemplateVersion {
  id: string;
  name: string;
  prompt_template: string;
  version: number;
  /** The labels pointing at this version. */
  labels: string[];
  variables: string[];
  created_at: string;
}

export interface PromptTemplates {
  /** The app's templates by name, `limit` at a time; a cursor it did not hand out is a VALIDATION_ERROR. */
  page(appId: string, limit: number, cursor?: string): Promise<{ items: PromptTemplateSummary[]; next: string | null }>;
  /** Every version, newest first; PROMPT_NOT_FOUND when the app has no template of that name. */
  versions(appId: string, name: string): Promise<PromptTemplateVersion[]>;
}
