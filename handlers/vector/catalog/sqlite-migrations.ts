// The vector catalogue's SQLite schema (the module's `sqliteMigrations`, append-only). Store and
// index ids are unique across apps (the index id also names the index in the backend); every
// query still names the app, so another app's id is not found.
export const VECTOR_SQLITE_MIGRATIONS = [
  `
  CREATE TABLE vector_stores (
    store_id TEXT PRIMARY KEY,
    app_id TEXT NOT NULL,
    store_name TEXT NOT NULL,
    store_type TEXT NOT NULL,
    backend TEXT NOT NULL,
    backend_name TEXT NOT NULL,
    description TEXT NOT NULL,
    tags TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX vector_stores_by_app ON vector_stores (app_id, created_at, store_id);

  CREATE TABLE vector_indexes (
    index_id TEXT PRIMARY KEY,
    app_id TEXT NOT NULL,
    store_id TEXT NOT NULL,
    index_name TEXT NOT NULL,
    embedding_model TEXT NOT NULL,
    dimension INTEGER NOT NULL,
    space TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (store_id, index_name)
  ) STRICT;
  CREATE INDEX vector_indexes_by_store ON vector_indexes (app_id, store_id, created_at, index_id);
  `,
];
