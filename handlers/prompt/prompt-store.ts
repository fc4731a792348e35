// The prompt service's storage port. Every method takes the owning app id first: a template is
// only ever found by (app, name), so one application can never see another's templates.

export interface PromptVersion {
  id: string;
  name: string;
  version: number;
  template: string;
  createdAt: string;
}

export interface PromptSummary {
  name: string;
  latestVersion: number;
  updatedAt: string;
  labels: Record<string, number>;
}

export interface PromptStore {
  /** Appends the next version (1 for a new name) atomically: concurrent saves never collide. */
  saveVersion(appId: string, draft: { id: string; name: string; template: string; createdAt: string }): Promise<PromptVersion>;
  latest(appId: string, name: string): Promise<PromptVersion | undefined>;
  version(appId: string, name: string, version: number): Promise<PromptVersion | undefined>;
  /** Newest first. */
  versions(appId: string, name: string): Promise<PromptVersion[]>;
  /** Every version of every template of the app, by name then newest first. */
  allVersions(appId: string): Promise<PromptVersion[]>;
  /** Templates with names after `afterName`, in name order. */
  summaries(appId: string, limit: number, afterName?: string): Promise<PromptSummary[]>;
  /** label → version for the template. */
  labels(appId: string, name: string): Promise<Record<string, number>>;
  /** Points the label at the version; false when that version does not exist. */
  setLabel(appId: string, name: string, label: string, version: number): Promise<boolean>;
  /** Deletes every version and label; returns how many versions there were. */
  deleteTemplate(appId: string, name: string): Promise<number>;
}
