// The metadata-store ports shared by services. Adapters: SQLite (embedded default) here;
// DynamoDB on AWS. Every method is async so that a network-backed adapter fits the same shape.

export type AppStatus = 'active' | 'inactive';

/** Per-app usage limits; null means unlimited. */
export interface AppLimits {
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  monthlyTokenBudget: number | null;
}

export interface AppRecord {
  appId: string;
  clientId: string;
  appName: string;
  description: string;
  status: AppStatus;
  /** Hash of the client secret (never the secret itself). */
  secretHash: string;
  createdAt: string;
  limits: AppLimits;
}

export interface AppStore {
  create(app: AppRecord): Promise<void>;
  findById(appId: string): Promise<AppRecord | undefined>;
  findByClientId(clientId: string): Promise<AppRecord | undefined>;
  /** Oldest first. */
  list(): Promise<AppRecord[]>;
  /** The updated app, or undefined when there is no such app. */
  update(appId: string, change: Partial<Pick<AppRecord, 'status' | 'secretHash' | 'limits'>>): Promise<AppRecord | undefined>;
  /** Deletes the app and everything it owns; false when there was no such app. */
  delete(appId: string): Promise<boolean>;
}

export interface AdminUser {
  username: string;
  passwordHash: string;
  createdAt: string;
}

export interface AdminSessionRecord {
  /** SHA-256 of the session token: a stolen database does not yield live cookies. */
  idHash: string;
  username: string;
  expiresAt: number;
}

export interface AdminStore {
  countUsers(): Promise<number>;
  findUser(username: string): Promise<AdminUser | undefined>;
  createUser(user: AdminUser): Promise<void>;
  createSession(session: AdminSessionRecord): Promise<void>;
  /** The session if it exists and has not expired at `now` (ms). */
  findSession(idHash: string, now: number): Promise<AdminSessionRecord | undefined>;
  deleteSession(idHash: string): Promise<void>;
  deleteExpiredSessions(now: number): Promise<void>;
}

/** A store that can report whether it answers (for health checks) and be closed. */
export interface StoreLifecycle {
  ping(): Promise<void>;
  close(): void;
}
