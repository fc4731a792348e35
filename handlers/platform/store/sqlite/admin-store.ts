// AdminStore on SQLite.
import type { AdminSessionRecord, AdminStore, AdminUser } from '../ports.ts';
import type { SqliteDatabase } from './database.ts';

export function sqliteAdminStore(db: SqliteDatabase): AdminStore {
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM admin_users');
  const user = db.prepare<[string], { username: string; password_hash: string; created_at: string }>(
    'SELECT * FROM admin_users WHERE username = ?',
  );
  const insertUser = db.prepare('INSERT INTO admin_users (username, password_hash, created_at) VALUES (?, ?, ?)');
  const insertSession = db.prepare('INSERT INTO admin_sessions (id_hash, username, expires_at) VALUES (?, ?, ?)');
  const session = db.prepare<[string, number], { id_hash: string; username: string; expires_at: number }>(
    'SELECT * FROM admin_sessions WHERE id_hash = ? AND expires_at > ?',
  );
  const removeSession = db.prepare('DELETE FROM admin_sessions WHERE id_hash = ?');
  const removeExpired = db.prepare('DELETE FROM admin_sessions WHERE expires_at <= ?');

  return {
    async countUsers() {
      return count.get()!.n;
    },
    async findUser(username): Promise<AdminUser | undefined> {
      const row = user.get(username);
      return row && { username: row.username, passwordHash: row.password_hash, createdAt: row.created_at };
    },
    async createUser(u) {
      insertUser.run(u.username, u.passwordHash, u.createdAt);
    },
    async createSession(s) {
      insertSession.run(s.idHash, s.username, s.expiresAt);
    },
    async findSession(idHash, now): Promise<AdminSessionRecord | undefined> {
      const row = session.get(idHash, now);
      return row && { idHash: row.id_hash, username: row.username, expiresAt: row.expires_at };
    },
    async deleteSession(idHash) {
      removeSession.run(idHash);
    },
    async deleteExpiredSessions(now) {
      removeExpired.run(now);
    },
  };
}
