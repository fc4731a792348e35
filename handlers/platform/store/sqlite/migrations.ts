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
  `
  ALTER TABLE apps ADD COLUMN requests_per_minute INTEGER;
  ALTER TABLE apps ADD COLUMN tokens_per_minute INTEGER;
  ALTER TABLE apps ADD COLUMN monthly_token_budget INTEGER;

  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    queue TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('ready', 'leased', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    available_at INTEGER NOT NULL,
    lease_until INTEGER,
    last_error TEXT
  ) STRICT;
  CREATE INDEX jobs_ready ON jobs (queue, state, available_at);

  CREATE TABLE model_invocations (
    id TEXT PRIMARY KEY,
    app_id TEXT NOT NULL REFERENCES apps (app_id) ON DELETE CASCADE,
    request_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('QUEUED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED')),
    request TEXT NOT NULL,
    result TEXT,
    error TEXT,
    created_at TEXT NOT NULL,
    completed_at TEXT,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX model_invocations_expiry ON model_invocations (expires_at);

  CREATE TABLE usage_events (
    id INTEGER PRIMARY KEY,
    app_id TEXT NOT NULL,
    operation TEXT NOT NULL,
    model_name TEXT NOT NULL,
    provider TEXT,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    latency_ms REAL NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('SUCCESS', 'FAILED', 'CANCELLED')),
    error_code TEXT,
    request_id TEXT NOT NULL,
    cost_usd REAL NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX usage_events_app_time ON usage_events (app_id, created_at);
  `,
];
