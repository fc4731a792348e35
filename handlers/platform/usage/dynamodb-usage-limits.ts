// The limiter on DynamoDB, shared by every task: a conditional atomic ADD reserves against a
// per-app item of the current UTC minute (pk "<app id>#minute", sk "YYYY-MM-DDTHH:MM": requests
// and tokens, deleted by TTL) and against the month's item of the usage ledger (pk "<app id>#month",
// attribute `committed`: the month's real tokens plus reservations in flight). The condition is
// "still below the limit", so however many tasks admit at once, each counter ends at most one
// reservation above its limit. The ledger adds a call's real tokens to `committed` and releases its
// reservation in the same update (UsageEvent.reservedTokens), so the counter never dips in between.
// Windows are fixed minutes here (the embedded limiter slides), the usual trade for one item a minute.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionFailed, dynamoCall, type Dynamo } from '../store/dynamodb/client.ts';
import type { Logger } from '../logger.ts';
import type { AppLimits } from '../store/ports.ts';
import { limitProblem, MINUTE_MS, monthStart, noLimits, type Reservation, type UsageLimiter } from './usage-limits.ts';

/** Minute items outlive their minute by this much before TTL may delete them. */
const MINUTE_ITEM_TTL_SECONDS = 3600;

type Key = { pk: string; sk: string };
const minuteKey = (appId: string, now: number): Key => ({ pk: `${appId}#minute`, sk: new Date(now).toISOString().slice(0, 16) });
/** The ledger's monthly total item (dynamodb-usage-ledger.ts). */
const monthKey = (appId: string, now: number): Key => ({ pk: `${appId}#month`, sk: monthStart(now).slice(0, 7) });

export function dynamoUsageLimits(dynamo: Dynamo, log: Logger, now: () => number = Date.now): UsageLimiter {
  const TableName = dynamo.table('usage');

  const add = (Key: Key, counts: Record<string, number>, condition?: { expression: string; values: Record<string, number> }, ttl?: number) => {
    const names = Object.keys(counts);
    return dynamo.doc.send(new UpdateCommand({
      TableName, Key,
      UpdateExpression: `ADD ${names.map((n) => `#${n} :${n}`).join(', ')}${ttl ? ' SET #ttl = :ttl' : ''}`,
      ConditionExpression: condition?.expression,
      ExpressionAttributeNames: Object.fromEntries([...names, ...(ttl ? ['ttl'] : [])].map((n) => [`#${n}`, n])),
      ExpressionAttributeValues: { ...Object.fromEntries(names.map((n) => [`:${n}`, counts[n]])), ...condition?.values, ...(ttl && { ':ttl': ttl }) },
    }));
  };
  /** Corrections after the call: never thrown at a caller, whose answer is already made. */
  const adjust = (Key: Key, counts: Record<string, number>, ttl?: number) => {
    if (Object.values(counts).every((n) => n === 0)) return;
    add(Key, counts, undefined, ttl).catch((error) => log.error({ err: error, key: Key }, 'usage limit counter update failed'));
  };
  const minuteTtl = (at: number) => Math.ceil((at + MINUTE_MS) / 1000) + MINUTE_ITEM_TTL_SECONDS;
  const below = (name: string, limit: number | null) => (limit === null ? [] : [[`(attribute_not_exists(#${name}) OR #${name} < :max_${name})`, `:max_${name}`, limit] as const]);

  async function reserveMinute(appId: string, { requestsPerMinute, tokensPerMinute }: AppLimits, tokens: number, at: number): Promise<void> {
    const checks = [...below('requests', requestsPerMinute), ...below('tokens', tokensPerMinute)];
    const key = minuteKey(appId, at);
    try {
      await add(key, { requests: 1, tokens }, {
        expression: checks.map(([expression]) => expression).join(' AND '),
        values: Object.fromEntries(checks.map(([, name, limit]) => [name, limit])),
      }, minuteTtl(at));
    } catch (error) {
      if (!conditionFailed(error)) throw error;
      // Which limit was reached (dynalite cannot return the item with the failed condition).
      const item = (await dynamoCall('usage limits', () => dynamo.doc.send(new GetCommand({ TableName, Key: key, ConsistentRead: true })))).Item ?? {};
      const retryInMs = MINUTE_MS - (at % MINUTE_MS);
      if (requestsPerMinute !== null && (item.requests ?? 0) >= requestsPerMinute) throw limitProblem.requests(requestsPerMinute, retryInMs);
      throw limitProblem.tokens(tokensPerMinute ?? 0, item.tokens ?? 0, retryInMs);
    }
  }

  async function reserveMonth(appId: string, budget: number, tokens: number, at: number): Promise<void> {
    try {
      await add(monthKey(appId, at), { committed: tokens }, { expression: 'attribute_not_exists(#committed) OR #committed < :budget', values: { ':budget': budget } });
    } catch (error) {
      if (conditionFailed(error)) throw limitProblem.month(budget, at);
      throw error;
    }
  }

  return {
    async admit(appId, limits, tokens) {
      if (noLimits(limits)) return this.unreserved(appId, limits);
      const at = now();
      const perMinute = limits.requestsPerMinute !== null || limits.tokensPerMinute !== null;
      const perMonth = limits.monthlyTokenBudget !== null;
      // Both at once (one round trip); a refusal by one gives the other's reservation back.
      const [minute, month] = await Promise.allSettled([
        perMinute ? reserveMinute(appId, limits, tokens, at) : undefined,
        perMonth ? reserveMonth(appId, limits.monthlyTokenBudget!, tokens, at) : undefined,
      ]);
      if (minute.status === 'rejected' || month.status === 'rejected') {
        if (perMinute && minute.status === 'fulfilled') adjust(minuteKey(appId, at), { requests: -1, tokens: -tokens }, minuteTtl(at));
        if (perMonth && month.status === 'fulfilled') adjust(monthKey(appId, at), { committed: -tokens });
        throw minute.status === 'rejected' ? minute.reason : (month as PromiseRejectedResult).reason;
      }
      return {
        ledgerReleases: perMonth ? tokens : 0,
        // The minute of admission carries the call's tokens, however long it ran.
        settle: (used) => perMinute && adjust(minuteKey(appId, at), { tokens: used - tokens }, minuteTtl(at)),
        release: () => {
          if (perMinute) adjust(minuteKey(appId, at), { tokens: -tokens }, minuteTtl(at));
          if (perMonth) adjust(monthKey(appId, at), { committed: -tokens });
        },
      };
    },
    unreserved(appId, limits) {
      // The month's counter is the ledger's; only a per-minute token limit needs the usage here.
      const settle = (used: number) => {
        const at = now();
        if (limits.tokensPerMinute !== null) adjust(minuteKey(appId, at), { tokens: used }, minuteTtl(at));
      };
      return { ledgerReleases: 0, settle, release: () => {} };
    },
  };
}
