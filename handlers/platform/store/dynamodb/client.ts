// What every DynamoDB adapter shares: the document client, table names from the prefix, and the
// translation of AWS failures into problems (never a 500 with AWS text): a lost conditional write
// is a 409, throttling or an unavailable service a 503 with Retry-After.
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ProblemError } from '../../http/problem.ts';
import { KERNEL_TABLES, tableName } from './tables.ts';

export interface Dynamo {
  doc: DynamoDBDocumentClient;
  table(name: string): string;
}

export function createDynamo(prefix: string, config: DynamoDBClientConfig = {}): Dynamo {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { doc, table: (name) => tableName(prefix, name) };
}

/** Health: one cheap keyed read of the apps table (allowed by every role that reads apps). */
export async function pingDynamo(dynamo: Dynamo): Promise<void> {
  const { partitionKey } = KERNEL_TABLES.apps;
  await dynamoCall('health check', () => dynamo.doc.send(new GetCommand({ TableName: dynamo.table('apps'), Key: { [partitionKey]: 'health#ping' } })));
}

const THROTTLED = new Set([
  'ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded',
  'TransactionConflictException', 'InternalServerError', 'ServiceUnavailable',
]);

/** True when the write was refused by its condition (for adapters that expect that). */
export function conditionFailed(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  if (name === 'ConditionalCheckFailedException') return true;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return name === 'TransactionCanceledException' && !!reasons?.some((r) => r.Code === 'ConditionalCheckFailed');
}

/** Runs one DynamoDB call, turning its expected failures into problems. */
export async function dynamoCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (conditionFailed(error)) throw new ProblemError('CONFLICT', `The ${what} changed at the same time; retry.`);
    if (THROTTLED.has((error as { name?: string })?.name ?? '')) {
      throw new ProblemError('BACKEND_UNAVAILABLE', `The store is busy; retry the ${what} shortly.`, { headers: { 'retry-after': '1' } });
    }
    throw error;
  }
}

type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

/** BatchWriteItem in chunks of 25, re-sending what DynamoDB leaves unprocessed (with backoff). */
export async function batchWrite(dynamo: Dynamo, table: string, requests: WriteRequest[], what: string): Promise<void> {
  for (let i = 0; i < requests.length; i += 25) {
    let pending: WriteRequest[] = requests.slice(i, i + 25);
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
      if (attempt > 8) throw new ProblemError('BACKEND_UNAVAILABLE', `The store is busy; retry the ${what} shortly.`, { headers: { 'retry-after': '1' } });
      const out = await dynamoCall(what, () => dynamo.doc.send(new BatchWriteCommand({ RequestItems: { [table]: pending } })));
      pending = (out.UnprocessedItems?.[table] ?? []) as WriteRequest[];
    }
  }
}
