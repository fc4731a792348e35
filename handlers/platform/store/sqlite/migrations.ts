// The kernel's SQLite schema (applications, admin users and sessions, the job queue, the usage
// ledger, the job store), as an append-only list: migration N runs once. Never edit a shipped migration; add a
// new one. Each service module keeps its own list beside its code (see module.ts).
import { JOBS_SQL } from '../../jobs/sqlite-job-store.ts';

export const KERNEL_MIGRATIONS: string[] = [
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
  // The job store (jobs/ports.ts): job_records and job_items.
  JOBS_SQL,
  // The ledger meters every service (usage-ledger.ts): rows name their service, what they used
  // (resource, no longer always a model) and their units. Token columns stay, for the limits' sums.
  `
  CREATE TABLE usage_events_v2 (
    id INTEGER PRIMARY KEY,
    app_id TEXT NOT NULL,
    service TEXT NOT NULL,
    operation TEXT NOT NULL,
    resource TEXT,
    provider TEXT,
    units TEXT NOT NULL CHECK (json_type(units) = 'object'),
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    latency_ms REAL NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('SUCCESS', 'FAILED', 'CANCELLED')),
    error_code TEXT,
    request_id TEXT NOT NULL,
    cost_usd REAL NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  INSERT INTO usage_events_v2
    SELECT id, app_id, 'model', operation, model_name, provider,
           json_object('input_tokens', input_tokens, 'output_tokens', output_tokens),
           input_tokens, output_tokens, latency_ms, status, error_code, request_id, cost_usd, created_at
    FROM usage_events;
  DROP TABLE usage_events;
  ALTER TABLE usage_events_v2 RENAME TO usage_events;
  CREATE INDEX usage_events_app_time ON usage_events (app_id, created_at);
  CREATE INDEX usage_events_time ON usage_events (created_at);
  `,
];
