// Opens the embedded SQLite database (better-sqlite3, WAL) and brings its schema up to date.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { keepPrivate, PRIVATE_DIR } from '../../data-dir.ts';
import { migrations } from './migrations.ts';

export type SqliteDatabase = Database.Database;

export function openDatabase(dataDir: string): SqliteDatabase {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR });
  const file = join(dataDir, 'platform.sqlite');
  // SQLite gives the -wal and -shm files it creates the database file's mode.
  keepPrivate(file, `${file}-wal`, `${file}-shm`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // durable across process crashes in WAL mode; fsync at checkpoints
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/** Health: the database answers a query. */
export async function pingSqlite(db: SqliteDatabase): Promise<void> {
  db.prepare('SELECT 1').get();
}

function migrate(db: SqliteDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  db.transaction(() => {
    migrations.slice(current).forEach((sql, index) => {
      db.exec(sql);
      db.pragma(`user_version = ${current + index + 1}`);
    });
  }).immediate();
}
