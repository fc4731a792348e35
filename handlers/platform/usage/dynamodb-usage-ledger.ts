// UsageLedger on DynamoDB: rows (pk app id, sk "<created at>#<request id>#<n>") buffered and
// written in batches, plus one running total per app and UTC month (pk "<app id>#month"):
// `tokens`, each unit's quantity (`unit_<unit>`), and `committed`, the limiter's counter
// (dynamodb-usage-limits.ts), which also holds the reservations of calls in flight; a row's real
// tokens and its reservation's release land in one update.
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchWrite, dynamoCall, type Dynamo } from '../store/dynamodb/client.ts';
import type { Logger } from '../logger.ts';
import { eventTokens, type UsageEvent, type UsageLedger } from './usage-ledger.ts';

const FLUSH_MS = 200;
const BATCH = 500;
const MONTH_START = /^(\d{4}-\d{2})-01T00:00:00(\.000)?Z$/;
const monthKey = (appId: string) => `${appId}#month`;

export function dynamoUsageLedger(dynamo: Dynamo, log: Logger): UsageLedger & { close(): Promise<void> } {
  const TableName = dynamo.table('usage');
  let buffer: UsageEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let sequence = 0;
  let writing: Promise<void> = Promise.resolve();

  async function write(batch: UsageEvent[]): Promise<void> {
    await batchWrite(dynamo, TableName, batch.map(({ reservedTokens: _reserved, ...event }) => ({
      PutRequest: { Item: { pk: event.appId, sk: `${event.createdAt}#${event.requestId}#${sequence++}`, ...event } },
    })), 'usage ledger');
    const totals = new Map<string, Record<string, number>>();
    for (const e of batch) {
      const key = `${e.appId}\n${e.createdAt.slice(0, 7)}`;
      const total = totals.get(key) ?? { tokens: 0, committed: 0 };
      total.tokens! += eventTokens(e);
      total.committed! += eventTokens(e) - (e.reservedTokens ?? 0);
      for (const [unit, n] of Object.entries(e.units)) total[`unit_${unit}`] = (total[`unit_${unit}`] ?? 0) + n;
      totals.set(key, total);
    }
    await Promise.all([...totals].map(([key, counts]) => {
      const [appId, month] = key.split('\n') as [string, string];
      const names = Object.keys(counts);
      return dynamoCall('usage total', () => dynamo.doc.send(new UpdateCommand({
        TableName, Key: { pk: monthKey(appId), sk: month }, UpdateExpression: `ADD ${names.map((_, i) => `#n${i} :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#n${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:v${i}`, counts[name]])),
      })));
    }));
  }

  const flushNow = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (buffer.length) {
      const batch = buffer;
      buffer = [];
      // One write at a time, in order; a failed batch is logged, never thrown at a caller.
      writing = writing.then(() => write(batch)).catch((error) => log.error({ err: error, rows: batch.length }, 'usage ledger write failed'));
    }
    return writing;
  };

  return {
    record(event) {
      buffer.push(event);
      if (buffer.length >= BATCH) void flushNow();
      else timer ??= setTimeout(flushNow, FLUSH_MS).unref();
    },
    flush: flushNow,
    async tokensSince(appId, sinceIso) {
      const pending = buffer.filter((e) => e.appId === appId && e.createdAt >= sinceIso).reduce((n, e) => n + eventTokens(e), 0);
      const month = MONTH_START.exec(sinceIso)?.[1];
      if (month) {
        const out = await dynamoCall('usage total', () => dynamo.doc.send(new GetCommand({ TableName, Key: { pk: monthKey(appId), sk: month }, ConsistentRead: true })));
        return ((out.Item?.tokens as number | undefined) ?? 0) + pending;
      }
      let total = pending;
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const out = await dynamoCall('usage ledger', () => dynamo.doc.send(new QueryCommand({
          TableName, KeyConditionExpression: 'pk = :app AND sk >= :since', ExpressionAttributeValues: { ':app': appId, ':since': sinceIso },
          ProjectionExpression: 'units, inputTokens, outputTokens', ExclusiveStartKey,
        })));
        for (const item of out.Items ?? []) total += eventTokens(fromItem(item));
        ExclusiveStartKey = out.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return total;
    },
    async list(appId, limit) {
      await flushNow();
      const out = await dynamoCall('usage ledger', () => dynamo.doc.send(new QueryCommand({
        TableName, KeyConditionExpression: 'pk = :app', ExpressionAttributeValues: { ':app': appId }, ScanIndexForward: false, Limit: limit,
      })));
      return (out.Items ?? []).map(fromItem);
    },
    close: flushNow,
  };
}

/** A row as stored; rows written before the ledger was generic were model calls with token fields. */
function fromItem({ pk: _pk, sk: _sk, inputTokens, outputTokens, modelName, ...item }: Record<string, unknown>): UsageEvent {
  if (item.units) return item as unknown as UsageEvent;
  return { service: 'model', resource: modelName, ...item, units: { input_tokens: inputTokens, output_tokens: outputTokens } } as unknown as UsageEvent;
}
