// ApiKeyStore on DynamoDB (kernel table api-keys). Two items per key: the record under
// "hash#<hash>" (the per-request check is one strongly consistent GetItem) and a listing entry
// under "app#<app id>" / "key#<key id>" that holds the hash (listing is one Query, never a Scan).
// Revocation writes the record first: that is the item the check reads.
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionFailed, dynamoCall, type Dynamo } from '../store/dynamodb/client.ts';
import type { ApiKeyRecord, ApiKeyStore } from './ports.ts';

export const API_KEYS_TABLE = 'api-keys';
const RECORD_SK = 'key';
const recordKey = (hash: string) => ({ pk: `hash#${hash}`, sk: RECORD_SK });
const listingKey = (appId: string, keyId: string) => ({ pk: `app#${appId}`, sk: `key#${keyId}` });

// revokedAt is absent until set (not NULL), so `if_not_exists` keeps the first revocation.
type Item = Omit<ApiKeyRecord, 'revokedAt'> & { revokedAt?: string; pk: string; sk: string };
const fromItem = ({ pk: _pk, sk: _sk, revokedAt, ...record }: Item): ApiKeyRecord => ({ ...record, revokedAt: revokedAt ?? null });

export function dynamoApiKeyStore(dynamo: Dynamo): ApiKeyStore {
  const TableName = dynamo.table(API_KEYS_TABLE);
  const get = async (Key: Record<string, string>) =>
    (await dynamoCall('API key', () => dynamo.doc.send(new GetCommand({ TableName, Key, ConsistentRead: true })))).Item as Item | undefined;
  const setRevoked = async (Key: Record<string, string>, at: string) => {
    try {
      const out = await dynamo.doc.send(new UpdateCommand({
        TableName, Key,
        UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at },
        ReturnValues: 'ALL_NEW',
      }));
      return out.Attributes as Item;
    } catch (error) {
      if (conditionFailed(error)) return undefined;
      return dynamoCall('API key', () => Promise.reject(error));
    }
  };

  return {
    async create({ revokedAt, ...key }) {
      const put = (Item: Record<string, unknown>) =>
        dynamoCall('API key', () => dynamo.doc.send(new PutCommand({ TableName, Item, ConditionExpression: 'attribute_not_exists(pk)' })));
      // The listing entry first: a crash in between leaves an entry for a key that never worked.
      const item = { ...key, ...(revokedAt !== null && { revokedAt }) };
      await put({ ...item, ...listingKey(key.appId, key.keyId) });
      await put({ ...item, ...recordKey(key.hash) });
    },
    async findByHash(hash) {
      const item = await get(recordKey(hash));
      return item && fromItem(item);
    },
    async listByApp(appId) {
      const items: Item[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await dynamoCall('API key list', () => dynamo.doc.send(new QueryCommand({
          TableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `app#${appId}` }, ExclusiveStartKey,
        })));
        items.push(...(page.Items as Item[]));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return items.map(fromItem).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.keyId.localeCompare(b.keyId));
    },
    async revoke(appId, keyId, at) {
      const listing = await get(listingKey(appId, keyId));
      if (!listing) return undefined;
      const record = await setRevoked(recordKey(listing.hash), at);
      await setRevoked(listingKey(appId, keyId), record?.revokedAt ?? at);
      return fromItem(record ?? { ...listing, revokedAt: listing.revokedAt ?? at });
    },
  };
}
