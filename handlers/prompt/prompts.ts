// The prompt service: versioned templates per application, labels, rendering.
import { randomUUID } from 'node:crypto';
import { ProblemError } from '../platform/problems.ts';
import type { PromptStore, PromptVersion } from './prompt-store.ts';
import { placeholders, render, type VariableValue } from './template.ts';
import type { PromptTemplateVersion } from '../platform/capabilities/prompts.ts';

/** One version as the API shows it (the same shape the `prompts` capability hands the admin). */
export type PromptView = PromptTemplateVersion;

/** Which version to use: a number, a label, or (neither) the latest. */
export interface VersionSelector {
  version?: number;
  label?: string;
}

export class Prompts {
  constructor(private readonly store: PromptStore) {}

  async save(appId: string, name: string, template: string): Promise<PromptView> {
    const saved = await this.store.saveVersion(appId, { id: randomUUID(), name, template, createdAt: new Date().toISOString() });
    return this.view(saved, {});
  }

  async get(appId: string, name: string, selector: VersionSelector = {}): Promise<PromptView> {
    const [found, labels] = await Promise.all([this.resolve(appId, name, selector), this.store.labels(appId, name)]);
    return this.view(found, labels);
  }

  async versions(appId: string, name: string): Promise<PromptView[]> {
    const [all, labels] = await Promise.all([this.store.versions(appId, name), this.store.labels(appId, name)]);
    if (all.length === 0) throw notFound(name);
    return all.map((version) => this.view(version, labels));
  }

  /** The seed's listing: name → versions, newest first. */
  async byName(appId: string): Promise<Record<string, { version: number; prompt_template: string }[]>> {
    const listing: Record<string, { version: number; prompt_template: string }[]> = {};
    for (const v of await this.store.allVersions(appId)) {
      (listing[v.name] ??= []).push({ version: v.version, prompt_template: v.template });
    }
    return listing;
  }

  async page(appId: string, limit: number, cursor?: string) {
    const afterName = cursor === undefined ? undefined : decodeCursor(cursor);
    // One extra row tells whether another page exists.
    const rows = await this.store.summaries(appId, limit + 1, afterName);
    const items = rows.slice(0, limit);
    return {
      items: items.map((s) => ({ name: s.name, latest_version: s.latestVersion, labels: s.labels, updated_at: s.updatedAt })),
      next: rows.length > limit ? encodeCursor(items.at(-1)!.name) : null,
    };
  }

  async render(appId: string, name: string, selector: VersionSelector, variables: Record<string, VariableValue>) {
    const found = await this.resolve(appId, name, selector);
    return { name, version: found.version, text: render(found.template, variables), variables: placeholders(found.template) };
  }

  async setLabel(appId: string, name: string, label: string, version: number) {
    if (!(await this.store.setLabel(appId, name, label, version))) throw versionNotFound(name, version);
    return { name, label, version };
  }

  async delete(appId: string, name: string) {
    const deleted = await this.store.deleteTemplate(appId, name);
    if (deleted === 0) throw notFound(name);
    return { name, deleted_versions: deleted };
  }

  private async resolve(appId: string, name: string, { version, label }: VersionSelector): Promise<PromptVersion> {
    if (version !== undefined && label !== undefined) {
      throw new ProblemError('VALIDATION_ERROR', 'Give either version or label, not both.', {
        errors: [{ path: 'body.label', message: 'must not be combined with version' }],
      });
    }
    if (label !== undefined) {
      const labelled = (await this.store.labels(appId, name))[label];
      if (labelled === undefined) throw new ProblemError('PROMPT_LABEL_NOT_FOUND', `Template ${name} has no label ${label}.`);
      version = labelled;
    }
    const found = version === undefined ? await this.store.latest(appId, name) : await this.store.version(appId, name, version);
    if (found) return found;
    throw version === undefined ? notFound(name) : versionNotFound(name, version);
  }

  private view(v: PromptVersion, labels: Record<string, number>): PromptView {
    return {
      id: v.id,
      name: v.name,
      prompt_template: v.template,
      version: v.version,
      labels: Object.keys(labels).filter((label) => labels[label] === v.version),
      variables: placeholders(v.template),
      created_at: v.createdAt,
    };
  }
}

const notFound = (name: string) => new ProblemError('PROMPT_NOT_FOUND', `No prompt template named ${name}.`);
const versionNotFound = (name: string, version: number) =>
  new ProblemError('PROMPT_VERSION_NOT_FOUND', `Template ${name} has no version ${version}.`);

const encodeCursor = (name: string) => Buffer.from(name, 'utf8').toString('base64url');
function decodeCursor(cursor: string): string {
  const name = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!name || encodeCursor(name) !== cursor) {
    throw new ProblemError('VALIDATION_ERROR', 'The cursor is not one this API returned.', {
      errors: [{ path: 'query.cursor', message: 'is invalid' }],
    });
  }
  return name;
}
