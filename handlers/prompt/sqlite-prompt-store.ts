// PromptStore on SQLite.
import type { SqliteDatabase } from '../platform/store/sqlite/database.ts';
import type { PromptStore, PromptVersion } from './prompt-store.ts';

interface VersionRow {
  id: string;
  name: string;
  version: number;
  template: string;
  created_at: string;
}

const fromRow = (row: VersionRow): PromptVersion => ({
  id: row.id,
  name: row.name,
  version: row.version,
  template: row.template,
  createdAt: row.created_at,
});

const COLUMNS = 'id, name, version, template, created_at';

export function sqlitePromptStore(db: SqliteDatabase): PromptStore {
  // One statement computes and inserts the next version; SQLite serialises writers, and the
  // primary key (app_id, name, version) rejects any duplicate that could slip through.
  const insertNext = db.prepare<[string, string, string, string, string, string, string], VersionRow>(
    `INSERT INTO prompt_versions (app_id, name, version, id, template, created_at)
     SELECT ?, ?, coalesce(max(version), 0) + 1, ?, ?, ?
     FROM prompt_versions WHERE app_id = ? AND name = ?
     RETURNING ${COLUMNS}`,
  );
  const latest = db.prepare<[string, string], VersionRow>(
    `SELECT ${COLUMNS} FROM prompt_versions WHERE app_id = ? AND name = ? ORDER BY version DESC LIMIT 1`,
  );
  const oneVersion = db.prepare<[string, string, number], VersionRow>(
    `SELECT ${COLUMNS} FROM prompt_versions WHERE app_id = ? AND name = ? AND version = ?`,
  );
  const versions = db.prepare<[string, string], VersionRow>(
    `SELECT ${COLUMNS} FROM prompt_versions WHERE app_id = ? AND name = ? ORDER BY version DESC`,
  );
  const all = db.prepare<[string], VersionRow>(
    `SELECT ${COLUMNS} FROM prompt_versions WHERE app_id = ? ORDER BY name, version DESC`,
  );
  const summaries = db.prepare<[string, string, number], { name: string; latest: number; updated_at: string }>(
    `SELECT name, max(version) AS latest, max(created_at) AS updated_at FROM prompt_versions
     WHERE app_id = ? AND name > ? GROUP BY name ORDER BY name LIMIT ?`,
  );
  const labels = db.prepare<[string, string], { label: string; version: number }>(
    'SELECT label, version FROM prompt_labels WHERE app_id = ? AND name = ? ORDER BY label',
  );
  const upsertLabel = db.prepare(
    `INSERT INTO prompt_labels (app_id, name, label, version)
     SELECT app_id, name, ?, version FROM prompt_versions WHERE app_id = ? AND name = ? AND version = ?
     ON CONFLICT (app_id, name, label) DO UPDATE SET version = excluded.version`,
  );
  const removeLabels = db.prepare('DELETE FROM prompt_labels WHERE app_id = ? AND name = ?');
  const removeVersions = db.prepare('DELETE FROM prompt_versions WHERE app_id = ? AND name = ?');
  const removeTemplate = db.transaction((appId: string, name: string) => {
    removeLabels.run(appId, name);
    return removeVersions.run(appId, name).changes;
  });

  const labelMap = (appId: string, name: string) =>
    Object.fromEntries(labels.all(appId, name).map((row) => [row.label, row.version]));

  return {
    async saveVersion(appId, draft) {
      return fromRow(insertNext.get(appId, draft.name, draft.id, draft.template, draft.createdAt, appId, draft.name)!);
    },
    async latest(appId, name) {
      const row = latest.get(appId, name);
      return row && fromRow(row);
    },
    async version(appId, name, version) {
      const row = oneVersion.get(appId, name, version);
      return row && fromRow(row);
    },
    async versions(appId, name) {
      return versions.all(appId, name).map(fromRow);
    },
    async allVersions(appId) {
      return all.all(appId).map(fromRow);
    },
    async summaries(appId, limit, afterName = '') {
      return summaries.all(appId, afterName, limit).map((row) => ({
        name: row.name,
        latestVersion: row.latest,
        updatedAt: row.updated_at,
        labels: labelMap(appId, row.name),
      }));
    },
    async labels(appId, name) {
      return labelMap(appId, name);
    },
    async setLabel(appId, name, label, version) {
      return upsertLabel.run(label, appId, name, version).changes > 0;
    },
    async deleteTemplate(appId, name) {
      return removeTemplate(appId, name);
    },
  };
}
