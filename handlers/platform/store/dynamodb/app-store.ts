// AppStore on DynamoDB, without transactions. The record lives under "client#<client id>": the
// token check on every request is one strongly consistent GetItem and sees a deactivation at
// once, and every change is one conditional UpdateItem on that single item. An immutable pointer
// "app#<app id>" → client id serves the admin's lookups by app id; it is written before the record
// and deleted after it, so a crash in between leaves only a pointer to nothing.
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { AppRecord, AppStore } from '../ports.ts';
import { conditionFailed, dynamoCall, type Dynamo } from './client.ts';

const LIST_KEY = 'app';
const recordKey = (clientId: string) => ({ pk: `client#${clientId}` });
const pointerKey = (appId: string) => ({ pk: `app#${appId}` });

type Item = AppRecord & { pk: string; listKey: string };
const fromItem = ({ pk: _pk, listKey: _list, ...record }: Item): AppRecord => record;

export function dynamoAppStore(dynamo: Dynamo): AppStore {
  const TableName = dynamo.table('apps');
  const read = async (Key: Record<string, string>) =>
    (await dynamoCall('application', () => dynamo.doc.send(new GetCommand({ TableName, Key, ConsistentRead: true })))).Item;
  const clientIdOf = async (appId: string) => (await read(pointerKey(appId)))?.clientId as string | undefined;

  return {
    async create(app) {
      const put = (Item: Record<string, unknown>) =>
        dynamoCall('application', () => dynamo.doc.send(new PutCommand({ TableName, Item, ConditionExpression: 'attribute_not_exists(pk)' })));
      await put({ ...pointerKey(app.appId), clientId: app.clientId });
      await put({ ...recordKey(app.clientId), ...app, listKey: LIST_KEY });
    },
    async findById(appId) {
      const clientId = await clientIdOf(appId);
      return clientId === undefined ? undefined : this.findByClientId(clientId);
    },
    async findByClientId(clientId) {
      const item = (await read(recordKey(clientId))) as Item | undefined;
      return item && fromItem(item);
    },
    async list() {
      const apps: AppRecord[] = [];
      const pages = paginateQuery({ client: dynamo.doc }, {
        TableName,
        IndexName: 'byCreatedAt',
        KeyConditionExpression: 'listKey = :app',
        ExpressionAttributeValues: { ':app': LIST_KEY },
      });
      await dynamoCall('application list', async () => {
        for await (const page of pages) apps.push(...(page.Items as Item[]).map(fromItem));
      });
      return apps;
    },
    async update(appId, change) {
      const clientId = await clientIdOf(appId);
      if (clientId === undefined) return undefined;
      const fields = Object.entries(change).filter(([, value]) => value !== undefined);
      if (fields.length === 0) return this.findByClientId(clientId);
      try {
        // SET only the changed fields: concurrent changes to other fields survive.
        const out = await dynamo.doc.send(new UpdateCommand({
          TableName,
          Key: recordKey(clientId),
          UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
          ExpressionAttributeValues: Object.fromEntries(fields.map(([, value], i) => [`:v${i}`, value])),
          ConditionExpression: 'attribute_exists(pk)',
          ReturnValues: 'ALL_NEW',
        }));
        return fromItem(out.Attributes as Item);
      } catch (error) {
        if (conditionFailed(error)) return undefined; // deleted meanwhile
        return dynamoCall('application', () => Promise.reject(error));
      }
    },
    async delete(appId) {
      const clientId = await clientIdOf(appId);
      if (clientId === undefined) return false;
      const out = await dynamoCall('application', () => dynamo.doc.send(new DeleteCommand({ TableName, Key: recordKey(clientId), ReturnValues: 'ALL_OLD' })));
      await dynamoCall('application', () => dynamo.doc.send(new DeleteCommand({ TableName, Key: pointerKey(appId) })));
      return out.Attributes !== undefined;
    },
  };
}
