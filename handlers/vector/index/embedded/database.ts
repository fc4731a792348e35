// The embedded vector index's own SQLite file (DATA_DIR/vector-index/records.sqlite): the source
// of truth for records, live generations and full text. It is separate from platform.sqlite
// because it holds every vector (dimension × 4 bytes per chunk) and one FTS5 table per index.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { keepPrivate, PRIVATE_DIR } from '../../../platform/data-dir.ts';

export type RecordsDatabase = Database.Database;

// Append-only; PRAGMA user_version counts the applied ones.
const MIGRATIONS = [
  `CREATE TABLE indexes (
     index_no INTEGER PRIMARY KEY,
     index_id TEXT NOT NULL UNIQUE,
     dimension INTEGER NOT NULL,
     space TEXT NOT NULL,
     embedding_model TEXT NOT NULL,
     created_at TEXT NOT NULL
   ) STRICT;
   -- AUTOINCREMENT: a key is never reused, so a stale key left in an ANN file can never name another record.
   CREATE TABLE records (
     key INTEGER PRIMARY KEY AUTOINCREMENT,
     index_no INTEGER NOT NULL,
     file_name TEXT NOT NULL,
     generation TEXT NOT NULL,
     chunk_id TEXT NOT NULL,
     app_id TEXT NOT NULL,
     store_id TEXT NOT NULL,
     page_start INTEGER NOT NULL,
     page_end INTEGER NOT NULL,
     start INTEGER NOT NULL,
     "end" INTEGER NOT NULL,
     chunking_job_id TEXT NOT NULL,
     content_hash TEXT NOT NULL,
     extra TEXT NOT NULL,
     text TEXT NOT NULL,
     vector BLOB NOT NULL,
     UNIQUE (index_no, file_name, generation, chunk_id)
   );
   CREATE INDEX records_by_hash ON records (index_no, content_hash);
   CREATE TABLE live_files (
     index_no INTEGER NOT NULL,
     file_name TEXT NOT NULL,
     generation TEXT NOT NULL,
     PRIMARY KEY (index_no, file_name)
   ) STRICT, WITHOUT ROWID;
   -- Keys deleted since the ANN file was last saved: replayed into it at load (see ann-index.ts).
   CREATE TABLE removed_keys (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     index_no INTEGER NOT NULL,
     key INTEGER NOT NULL
   );`,
];

export function openRecordsDatabase(dir: string): RecordsDatabase {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  const file = join(dir, 'records.sqlite');
  keepPrivate(file, `${file}-wal`, `${file}-shm`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL'); // durable across process crashes in WAL mode
  db.pragma('busy_timeout = 5000');
  db.transaction(() => {
    const applied = db.pragma('user_version', { simple: true }) as number;
    MIGRATIONS.slice(applied).forEach((sql) => db.exec(sql));
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  }).immediate();
  return db;
}

/** Each index has its own FTS5 table, so BM25 statistics never mix indexes (nor apps). */
export const ftsTable = (indexNo: number) => `fts_${indexNo}`;
