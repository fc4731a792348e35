// Per-app limits, checked before any provider call: requests per minute, tokens per minute (the
// estimate of this call counts), and a monthly token budget (UTC calendar month). Windows slide
// over the last 60 s and live in this process; the month's total starts from the ledger.
import { ProblemError } from '../platform/http/problem.ts';
import type { AppLimits } from '../platform/store/ports.ts';
import type { UsageLedger } from './usage-ledger.ts';

const MINUTE_MS = 60_000;

interface Window {
  requests: number[];
  tokens: { at: number; n: number }[];
  month: string;
  monthTokens: number | undefined;
}

const monthStart = (now: number) => {
  const d = new Date(now);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)).toISOString();
};
const nextMonthStart = (now: number) => {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};
const seconds = (ms: number) => String(Math.max(1, Math.ceil(ms / 1000)));

export class UsageLimits {
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

  /** Throws a 429 problem when this call would break a limit; otherwise counts the request. */
  async admit(appId: string, limits: AppLimits, estimatedTokens: number): Promise<void> {
    const { requestsPerMinute, tokensPerMinute, monthlyTokenBudget } = limits;
    if (requestsPerMinute === null && tokensPerMinute === null && monthlyTokenBudget === null) return;
    const w = this.window(appId);
    const now = this.now();
    if (requestsPerMinute !== null && w.requests.length >= requestsPerMinute) {
      throw new ProblemError('RATE_LIMITED', `This application may make ${requestsPerMinute} model requests a minute.`, {
        headers: { 'retry-after': seconds(w.requests[0]! + MINUTE_MS - now) },
      });
    }
    if (tokensPerMinute !== null) {
      const used = w.tokens.reduce((n, t) => n + t.n, 0);
      if (used > 0 && used + estimatedTokens > tokensPerMinute) {
        throw new ProblemError('TOKEN_LIMIT_EXCEEDED', `This application may use ${tokensPerMinute} tokens a minute; ${used} are used.`, {
          headers: { 'retry-after': seconds(w.tokens[0]!.at + MINUTE_MS - now) },
        });
      }
    }
    if (monthlyTokenBudget !== null) {
      w.monthTokens ??= await this.ledger.tokensSince(appId, w.month);
      if (w.monthTokens >= monthlyTokenBudget) {
        throw new ProblemError('TOKEN_BUDGET_EXHAUSTED', `This application has used its ${monthlyTokenBudget} tokens for this month.`, {
          headers: { 'retry-after': seconds(nextMonthStart(now) - now) },
        });
      }
    }
    w.requests.push(now);
  }

  /** Counts what a finished call consumed (only apps with limits are tracked). */
  consumed(appId: string, limits: AppLimits, tokens: number): void {
    if (tokens <= 0 || (limits.tokensPerMinute === null && limits.monthlyTokenBudget === null)) return;
    const w = this.window(appId);
    w.tokens.push({ at: this.now(), n: tokens });
    if (w.monthTokens !== undefined) w.monthTokens += tokens;
  }
}
