// Admin sign-in: scrypt-hashed passwords, server-side sessions referenced by an HttpOnly,
// SameSite=Strict cookie, and throttled guessing (see login-throttle.ts). Bootstraps the first
// admin on first start.
import { serialize } from 'cookie';
import { ProblemError } from '../platform/problems.ts';
import type { AdminStore } from '../platform/store/ports.ts';
import { decoyPasswordHash, hashPassword, newSessionToken, sha256, verifyPassword } from '../platform/auth/secrets.ts';
import { QueueFullError } from '../platform/semaphore.ts';
import { LoginThrottle, type Outcome } from './login-throttle.ts';
import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'gaf_admin_session';
/** The stored "hash" of an administrator who signs in only through the Cognito admin pool: no password matches it. */
const NO_PASSWORD = 'federated';

export interface AdminPrincipal {
  username: string;
  sessionIdHash: string;
  expiresAt: number;
}

export interface AdminAuthOptions {
  sessionTtlSeconds: number;
  secureCookies: boolean;
  /** Where the admin API is seen by browsers: "/admin", or "/prod/admin" behind an API Gateway stage. */
  cookiePath: string;
}

export type AdminBootstrap =
  | { created: true; username: string; generatedPassword?: string }
  | { created: false; passwordIgnored: boolean };

const throttled = (code: 'LOGIN_THROTTLED' | 'RATE_LIMITED', seconds: number) =>
  new ProblemError(
    code,
    code === 'LOGIN_THROTTLED'
      ? `Too many sign-in attempts; wait ${seconds} seconds before the next one.`
      : `Too many sign-in attempts are being checked; wait ${seconds} seconds before the next one.`,
    { retryAfterSeconds: seconds },
  );

export class AdminAuth {
  private readonly throttle = new LoginThrottle();
  /** Checked when the username is unknown, so both failures take the same time. */
  private readonly decoyHash = decoyPasswordHash();

  constructor(private readonly store: AdminStore, private readonly options: AdminAuthOptions) {}

  /**
   * Creates the first admin when there is none, with the given password or a generated one (the
   * caller prints it once). When an admin exists, says whether a given username/password was left
   * unused, so the caller can warn instead of failing silently at the first sign-in.
   */
  async bootstrap(username = 'admin', password?: string): Promise<AdminBootstrap> {
    if ((await this.store.countUsers()) > 0) return this.existing(username, password);
    const chosen = password ?? randomBytes(18).toString('base64url');
    try {
      await this.store.createUser({ username, passwordHash: await hashPassword(chosen), createdAt: new Date().toISOString() });
    } catch (error) {
      // Several admin tasks start together on a first deploy: the one whose create lost the race
      // finds the winner's user and carries on (any other failure still stops the start).
      if ((await this.store.countUsers()) === 0) throw error;
      return this.existing(username, password);
    }
    return { created: true, username, ...(password ? {} : { generatedPassword: chosen }) };
  }

  private async existing(username: string, password: string | undefined): Promise<AdminBootstrap> {
    const existing = password === undefined ? undefined : await this.store.findUser(username);
    const ignored = password !== undefined && !(existing && (await verifyPassword(password, existing.passwordHash)));
    return { created: false, passwordIgnored: ignored };
  }

  async login(username: string, password: string, clientAddress: string): Promise<{ session: AdminPrincipal; cookie: string }> {
    const attempt = this.throttle.reserve(username, clientAddress);
    if (!attempt.allowed) throw throttled('LOGIN_THROTTLED', attempt.retryAfterSeconds);
    let outcome: Outcome = 'unchecked';
    let user;
    try {
      user = await this.store.findUser(username);
      outcome = (await verifyPassword(password, user?.passwordHash ?? this.decoyHash)) && user ? 'success' : 'failure';
    } catch (error) {
      if (error instanceof QueueFullError) throw throttled('RATE_LIMITED', 1);
      throw error;
    } finally {
      attempt.settle(outcome);
    }
    if (outcome !== 'success' || !user) throw new ProblemError('INVALID_CREDENTIALS', 'The username or password is wrong.');
    return this.openSession(user.username);
  }

  /**
   * A session for an administrator the Cognito admin pool vouches for. Sessions belong to a user of
   * the admin store, so the first sign-in records one, with no password (a concurrent first sign-in
   * may record it first).
   */
  async openFederatedSession(username: string): Promise<{ session: AdminPrincipal; cookie: string }> {
    if (!(await this.store.findUser(username))) {
      try {
        await this.store.createUser({ username, passwordHash: NO_PASSWORD, createdAt: new Date().toISOString() });
      } catch (error) {
        if (!(await this.store.findUser(username))) throw error;
      }
    }
    return this.openSession(username);
  }

  /** A new session for `username`, who has just proved who they are. */
  private async openSession(username: string): Promise<{ session: AdminPrincipal; cookie: string }> {
    const now = Date.now();
    await this.store.deleteExpiredSessions(now);
    const token = newSessionToken();
    const session = { username, sessionIdHash: sha256(token), expiresAt: now + this.options.sessionTtlSeconds * 1000 };
    await this.store.createSession({ idHash: session.sessionIdHash, username: session.username, expiresAt: session.expiresAt });
    return { session, cookie: this.cookie(token, this.options.sessionTtlSeconds) };
  }

  /** The AdminSession authenticator: the session behind the cookie's value (`token`), or SESSION_REQUIRED. */
  async authenticate(token: string | undefined): Promise<AdminPrincipal> {
    const found = token ? await this.store.findSession(sha256(token), Date.now()) : undefined;
    if (!found) throw new ProblemError('SESSION_REQUIRED', 'Sign in first (the session is missing or has expired).');
    return { username: found.username, sessionIdHash: found.idHash, expiresAt: found.expiresAt };
  }

  async logout(session: AdminPrincipal): Promise<string> {
    await this.store.deleteSession(session.sessionIdHash);
    return this.cookie('', 0);
  }

  private cookie(value: string, maxAge: number): string {
    return serialize(SESSION_COOKIE, value, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.options.secureCookies,
      path: this.options.cookiePath,
      maxAge,
    });
  }
}
