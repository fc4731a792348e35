// Opens the embedded SQLite database (better-sqlite3, WAL) and brings its schema up to date: the
// kernel's migrations first, then each module's, each list versioned on its own.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { keepPrivate, PRIVATE_DIR } from '../../data-dir.ts';
import type { ModuleDeclaration } from '../../module.ts';
import { KERNEL_MIGRATIONS } from './migrations.ts';

export type SqliteDatabase = Database.Database;

export function openDatabase(dataDir: string, modules: Pick<ModuleDeclaration, 'name' | 'sqliteMigrations' | 'legacySqliteVersion'>[]): SqliteDatabase {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR });
  const file = join(dataDir, 'platform.sqlite');
  // SQLite gives the -wal and -shm files it creates the database file's mode.
  keepPrivate(file, `${file}-wal`, `${file}-shm`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // durable across process crashes in WAL mode; fsync at checkpoints
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db, [{ name: 'platform', sqliteMigrations: KERNEL_MIGRATIONS, legacySqliteVersion: LEGACY_KERNEL_VERSION }, ...modules]);
  return db;
}

/** Health: the database answers a query. */
export async function pingSqlite(db: SqliteDatabase): Promise<void> {
  db.prepare('SELECT 1').get();
}

/** Global versions counted the kernel's first three migrations only: it kept its own list after. */
const LEGACY_KERNEL_VERSION = (global: number) => Math.min(global, 3);

function migrate(db: SqliteDatabase, owners: Pick<ModuleDeclaration, 'name' | 'sqliteMigrations' | 'legacySqliteVersion'>[]): void {
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_versions (owner TEXT PRIMARY KEY, version INTEGER NOT NULL) STRICT');
    // Databases from before per-module versions kept one global number: each owner maps it.
    const legacy = db.pragma('user_version', { simple: true }) as number;
    const versionOf = db.prepare<[string], { version: number }>('SELECT version FROM schema_versions WHERE owner = ?');
    const record = db.prepare('INSERT INTO schema_versions (owner, version) VALUES (?, ?) ON CONFLICT (owner) DO UPDATE SET version = excluded.version');
    for (const { name, sqliteMigrations, legacySqliteVersion } of owners) {
      if (!sqliteMigrations?.length) continue;
      const current = versionOf.get(name)?.version ?? (legacy > 0 ? legacySqliteVersion?.(legacy) ?? 0 : 0);
      sqliteMigrations.slice(current).forEach((sql) => db.exec(sql));
      record.run(name, sqliteMigrations.length);
    }
  }).immediate();
}
