// Per-app limits, checked before any provider call: requests per minute, tokens per minute and a
// monthly token budget (UTC calendar month). Admission reserves the call's worst case (one request,
// its estimated prompt plus output tokens) at once, so concurrent calls see each other; the call's
// end replaces the reservation with what it really used (nothing when it failed). A call is admitted
// while the app is below each limit, so a limit is overshot by at most one call's reservation.
// This file holds the port and the embedded limiter (this process's memory: no store round trip
// but the month's first); dynamodb-usage-limits.ts shares the counters between tasks on AWS.
import { ProblemError } from '../http/problem.ts';
import type { AppLimits } from '../store/ports.ts';
import type { UsageLedger } from './usage-ledger.ts';

export interface Reservation {
  /**
   * Tokens the ledger releases from the shared monthly counter when it writes this call's row
   * (UsageEvent.reservedTokens); 0 when the limiter settles the month itself.
   */
  readonly ledgerReleases: number;
  /** The call ended and its ledger row is recorded: `tokens` replace the reservation. */
  settle(tokens: number): void;
  /** The call will not run here (queued for a worker): give the reservation back. */
  release(): void;
}

export interface UsageLimiter {
  /** Reserves one request and `tokens` against the app's limits; throws the 429 problem if one is reached. */
  admit(appId: string, limits: AppLimits, tokens: number): Promise<Reservation>;
  /** For a call admitted earlier (a background invocation): settling it only counts its usage. */
  unreserved(appId: string, limits: AppLimits): Reservation;
}

export const MINUTE_MS = 60_000;
export const noLimits = ({ requestsPerMinute, tokensPerMinute, monthlyTokenBudget }: AppLimits) =>
  requestsPerMinute === null && tokensPerMinute === null && monthlyTokenBudget === null;

export const monthStart = (now: number) => {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString();
};
const nextMonthStart = (now: number) => {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};
const seconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

export const limitProblem = {
  requests: (limit: number, retryInMs: number) => new ProblemError('RATE_LIMITED', `This application may make ${limit} model requests a minute.`, {
    headers: { 'retry-after': seconds(retryInMs) },
  }),
  tokens: (limit: number, used: number, retryInMs: number) =>
    new ProblemError('TOKEN_LIMIT_EXCEEDED', `This application may use ${limit} tokens a minute; ${used} are used or reserved by calls in flight.`, {
      headers: { 'retry-after': seconds(retryInMs) },
    }),
  month: (limit: number, now: number) => new ProblemError('TOKEN_BUDGET_EXHAUSTED', `This application has used its ${limit} tokens for this month.`, {
    headers: { 'retry-after': seconds(nextMonthStart(now) - now) },
  }),
};

interface Window {
  requests: number[];
  tokens: { at: number; n: number }[];
  month: string;
  /** The month's tokens, reservations included; loaded from the ledger on the month's first check. */
  monthTokens: number | undefined;
}

/** The embedded limiter: windows slide over the last 60 s and live in this process. */
export class UsageLimits implements UsageLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly ledger: UsageLedger, private readonly now: () => number = Date.now) {}

  private window(appId: string): Window {
    const month = monthStart(this.now());
    let w = this.windows.get(appId);
    if (!w || w.month !== month) {
      w = { requests: w?.requests ?? [], tokens: w?.tokens ?? [], month, monthTokens: undefined };
      this.windows.set(appId, w);
    }
    const since = this.now() - MINUTE_MS;
    while (w.requests.length && w.requests[0]! <= since) w.requests.shift();
    while (w.tokens.length && w.tokens[0]!.at <= since) w.tokens.shift();
    return w;
  }

  async admit(appId: string, limits: AppLimits, tokens: number): Promise<Reservation> {
    if (noLimits(limits)) return this.unreserved(appId);
    const { requestsPerMinute, tokensPerMinute, monthlyTokenBudget } = limits;
    if (monthlyTokenBudget !== null && this.window(appId).monthTokens === undefined) {
      const used = await this.ledger.tokensSince(appId, monthStart(this.now()));
      this.window(appId).monthTokens ??= used;
    }
    // From here to the reservation nothing awaits: concurrent calls are checked one after another.
    const w = this.window(appId);
    const now = this.now();
    if (requestsPerMinute !== null && w.requests.length >= requestsPerMinute) {
      throw limitProblem.requests(requestsPerMinute, w.requests[0]! + MINUTE_MS - now);
    }
    const used = w.tokens.reduce((n, t) => n + t.n, 0);
    if (tokensPerMinute !== null && used >= tokensPerMinute) throw limitProblem.tokens(tokensPerMinute, used, w.tokens[0]!.at + MINUTE_MS - now);
    if (monthlyTokenBudget !== null && w.monthTokens! >= monthlyTokenBudget) throw limitProblem.month(monthlyTokenBudget, now);
    w.requests.push(now);
    const reserved = { at: now, n: tokens };
    w.tokens.push(reserved);
    if (w.monthTokens !== undefined) w.monthTokens += tokens;
    return this.reservation(appId, reserved, w.monthTokens === undefined ? 0 : tokens);
  }

  unreserved(appId: string): Reservation {
    return this.reservation(appId, { at: this.now(), n: 0 }, 0);
  }

  private reservation(appId: string, reserved: { at: number; n: number }, monthReserved: number): Reservation {
    const month = monthStart(reserved.at);
    const settle = (tokens: number) => {
      const w = this.windows.get(appId);
      if (!w) return; // never limited in this process: nothing to keep count of
      const i = w.tokens.indexOf(reserved);
      if (i >= 0) w.tokens.splice(i, 1);
      // Counted when the call ends, so a long call still weighs on the minute after it.
      if (tokens > 0) w.tokens.push({ at: this.now(), n: tokens });
      // A month loaded after the reservation (or a new month) never held it.
      if (w.monthTokens !== undefined) w.monthTokens += tokens - (w.month === month ? monthReserved : 0);
    };
    return { ledgerReleases: 0, settle, release: () => settle(0) };
  }
}
