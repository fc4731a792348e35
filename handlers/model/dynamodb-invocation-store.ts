// InvocationStore on DynamoDB: one item per invocation; DynamoDB's TTL deletes expired ones
// (reads also check the expiry, because TTL deletion lags). State changes are conditional, so a
// redelivered job can never move a finished invocation back.
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionFailed, dynamoCall, type Dynamo } from '../platform/store/dynamodb/client.ts';
import type { InvocationRecord, InvocationStore } from './invocation-store.ts';

export function dynamoInvocationStore(dynamo: Dynamo): InvocationStore {
  const TableName = dynamo.table('invocations');
  const get = async (id: string) =>
    (await dynamoCall('invocation', () => dynamo.doc.send(new GetCommand({ TableName, Key: { id }, ConsistentRead: true })))).Item as
      (InvocationRecord & { ttl: number }) | undefined;
  const strip = ({ ttl: _, ...record }: InvocationRecord & { ttl: number }): InvocationRecord => record;
  const conditional = async (update: () => Promise<unknown>) => {
    try {
      await update();
    } catch (error) {
      if (!conditionFailed(error)) await dynamoCall('invocation', () => Promise.reject(error));
    }
  };

  return {
    async create(record) {
      await dynamoCall('invocation', () => dynamo.doc.send(new PutCommand({
        TableName,
        Item: { ...record, ttl: Math.ceil(record.expiresAt / 1000) },
        ConditionExpression: 'attribute_not_exists(id)',
      })));
    },
    async find(appId, id, now) {
      const item = await get(id);
      return item && item.appId === appId && item.expiresAt > now ? strip(item) : undefined;
    },
    async get(id) {
      const item = await get(id);
      return item && strip(item);
    },
    async markInProgress(id) {
      await conditional(() => dynamo.doc.send(new UpdateCommand({
        TableName,
        Key: { id },
        UpdateExpression: 'SET #status = :progress',
        ConditionExpression: '#status = :queued',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':progress': 'IN_PROGRESS', ':queued': 'QUEUED' },
      })));
    },
    async finish(id, outcome, completedAt) {
      const succeeded = 'result' in outcome;
      await conditional(() => dynamo.doc.send(new UpdateCommand({
        TableName,
        Key: { id },
        UpdateExpression: `SET #status = :status, completedAt = :at, ${succeeded ? '#result' : '#error'} = :outcome`,
        ConditionExpression: '#status IN (:queued, :progress)',
        ExpressionAttributeNames: { '#status': 'status', [succeeded ? '#result' : '#error']: succeeded ? 'result' : 'error' },
        ExpressionAttributeValues: {
          ':status': succeeded ? 'SUCCEEDED' : 'FAILED',
          ':at': completedAt,
          ':outcome': succeeded ? outcome.result : outcome.error,
          ':queued': 'QUEUED',
          ':progress': 'IN_PROGRESS',
        },
      })));
    },
    async deleteExpired() {
      return 0; // DynamoDB's TTL deletes them
    },
  };
}
