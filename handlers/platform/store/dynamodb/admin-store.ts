// AdminStore on DynamoDB: users under pk "user" (so counting them is one Query), sessions under
// pk "session#<hash>" with a TTL attribute; expiry is also checked on read because TTL deletion lags.
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AdminSessionRecord, AdminStore, AdminUser } from '../ports.ts';
import { dynamoCall, type Dynamo } from './client.ts';

const USER = 'user';
const SESSION = '-';
const sessionKey = (idHash: string) => ({ pk: `session#${idHash}`, sk: SESSION });

export function dynamoAdminStore(dynamo: Dynamo): AdminStore {
  const TableName = dynamo.table('admin');

  return {
    async countUsers() {
      const out = await dynamoCall('admin user', () => dynamo.doc.send(new QueryCommand({
        TableName, KeyConditionExpression: 'pk = :user', ExpressionAttributeValues: { ':user': USER }, Select: 'COUNT', ConsistentRead: true,
      })));
      return out.Count ?? 0;
    },
    async findUser(username) {
      const out = await dynamoCall('admin user', () => dynamo.doc.send(new GetCommand({ TableName, Key: { pk: USER, sk: username }, ConsistentRead: true })));
      const item = out.Item as AdminUser | undefined;
      return item && { username: item.username, passwordHash: item.passwordHash, createdAt: item.createdAt };
    },
    async createUser(user) {
      await dynamoCall('admin user', () => dynamo.doc.send(new PutCommand({ TableName, Item: { pk: USER, sk: user.username, ...user }, ConditionExpression: 'attribute_not_exists(pk)' })));
    },
    async createSession(session) {
      await dynamoCall('admin session', () => dynamo.doc.send(new PutCommand({
        TableName,
        Item: { ...sessionKey(session.idHash), ...session, ttl: Math.ceil(session.expiresAt / 1000) },
      })));
    },
    async findSession(idHash, now): Promise<AdminSessionRecord | undefined> {
      const out = await dynamoCall('admin session', () => dynamo.doc.send(new GetCommand({ TableName, Key: sessionKey(idHash), ConsistentRead: true })));
      const item = out.Item as AdminSessionRecord | undefined;
      return item && item.expiresAt > now ? { idHash: item.idHash, username: item.username, expiresAt: item.expiresAt } : undefined;
    },
    async deleteSession(idHash) {
      await dynamoCall('admin session', () => dynamo.doc.send(new DeleteCommand({ TableName, Key: sessionKey(idHash) })));
    },
    async deleteExpiredSessions() {
      // DynamoDB's TTL deletes them; findSession already ignores expired ones.
    },
  };
}
