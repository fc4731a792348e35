// The SQLite schema, as an append-only list: migration N runs once, when PRAGMA user_version < N.
// Never edit a shipped migration; add a new one.
export const migrations: string[] = [
  `
  CREATE TABLE apps (
    app_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL UNIQUE,
    app_name TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
    secret_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE admin_users (
    username TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE admin_sessions (
    id_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES admin_users (username) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE prompt_versions (
    app_id TEXT NOT NULL REFERENCES apps (app_id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    version INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    template TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (app_id, name, version)
  ) STRICT;

  CREATE TABLE prompt_labels (
    app_id TEXT NOT NULL,
    name TEXT NOT NULL,
    label TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (app_id, name, label),
    FOREIGN KEY (app_id, name, version) REFERENCES prompt_versions (app_id, name, version) ON DELETE CASCADE
  ) STRICT;
  `,
];
