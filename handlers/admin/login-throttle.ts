// Slows down password guessing without letting a guesser lock the real admin out.
// - Back-off is kept per (username, client address): after FREE_ATTEMPTS failures from one address,
//   each further failure doubles that address's wait (1 s, 2 s, … capped at MAX_WAIT). Another
//   address is not slowed by it, so the admin signs in from a clean address during an attack.
// - A global ceiling per username bounds a guesser with many addresses: once CEILING failures are
//   seen in a WINDOW, any address that has already failed for that username waits for the window's
//   end; an address with no failure still gets its attempts.
// - An attempt is counted as a failure *before* the password is checked (a success takes it back),
//   so concurrent guesses cannot all slip past the check while earlier ones are still hashing.
// - At most IN_FLIGHT_PER_USERNAME checks run per username and IN_FLIGHT_PER_ADDRESS per address.
// Kept in memory: a restart forgets it, which is acceptable for one admin process.
import { addressKey } from '../platform/http/client-address.ts';

export const FREE_ATTEMPTS = 5;
export const MAX_WAIT_MS = 15 * 60 * 1000;
export const CEILING = 50;
export const WINDOW_MS = 15 * 60 * 1000;
export const IN_FLIGHT_PER_USERNAME = 2;
export const IN_FLIGHT_PER_ADDRESS = 2;
const MAX_TRACKED = 10_000;

/** How a reserved attempt ended: `unchecked` when the password was never checked (e.g. busy). */
export type Outcome = 'success' | 'failure' | 'unchecked';

export type Admission = { allowed: true; settle(outcome: Outcome): void } | { allowed: false; retryAfterSeconds: number };

interface Backoff {
  count: number;
  blockedUntil: number;
}

interface Account {
  windowStart: number;
  failures: number;
  inFlight: number;
}

export class LoginThrottle {
  /** `${username}\n${address}` → its back-off, in least-recently-failed order. */
  private readonly backoffs = new Map<string, Backoff>();
  private readonly accounts = new Map<string, Account>();
  private readonly inFlightByAddress = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Reserves one attempt (synchronously, so concurrent requests see each other), or says how long to wait. */
  reserve(username: string, address: string): Admission {
    const name = username.toLowerCase();
    const from = addressKey(address);
    const key = `${name}\n${from}`;
    const now = this.now();
    const backoff = this.backoffs.get(key);
    const account = this.account(name, now);
    let waitMs = backoff ? backoff.blockedUntil - now : 0;
    if (backoff && account.failures >= CEILING) waitMs = Math.max(waitMs, account.windowStart + WINDOW_MS - now);
    if (waitMs > 0) return { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000) };
    const addressInFlight = this.inFlightByAddress.get(from) ?? 0;
    if (account.inFlight >= IN_FLIGHT_PER_USERNAME || addressInFlight >= IN_FLIGHT_PER_ADDRESS) {
      return { allowed: false, retryAfterSeconds: 1 };
    }

    const previous = backoff ?? { count: 0, blockedUntil: 0 };
    const counted = { count: previous.count + 1, blockedUntil: now + waitAfter(previous.count + 1) };
    this.remember(this.backoffs, key, counted);
    account.failures++;
    account.inFlight++;
    this.inFlightByAddress.set(from, addressInFlight + 1);

    let settled = false;
    return {
      allowed: true,
      settle: (outcome) => {
        if (settled) return;
        settled = true;
        account.inFlight--;
        const left = (this.inFlightByAddress.get(from) ?? 1) - 1;
        if (left > 0) this.inFlightByAddress.set(from, left);
        else this.inFlightByAddress.delete(from);
        if (outcome === 'failure') return;
        account.failures = Math.max(0, account.failures - 1);
        if (outcome === 'success') this.backoffs.delete(key);
        else if (this.backoffs.get(key) === counted) this.backoffs.set(key, previous);
      },
    };
  }

  private account(name: string, now: number): Account {
    const found = this.accounts.get(name);
    // Reset in place: attempts still in flight settle on this same object.
    if (found && now >= found.windowStart + WINDOW_MS) Object.assign(found, { windowStart: now, failures: 0 });
    const account = found ?? { windowStart: now, failures: 0, inFlight: 0 };
    this.remember(this.accounts, name, account);
    return account;
  }

  /** Re-inserts so the map stays in least-recently-used order, and forgets the oldest beyond MAX_TRACKED. */
  private remember<T>(map: Map<string, T>, key: string, value: T): void {
    map.delete(key);
    map.set(key, value);
    if (map.size > MAX_TRACKED) map.delete(map.keys().next().value!);
  }
}

/** The wait after `count` consecutive failures from one address. */
const waitAfter = (count: number) => (count < FREE_ATTEMPTS ? 0 : Math.min(MAX_WAIT_MS, 1000 * 2 ** (count - FREE_ATTEMPTS)));
