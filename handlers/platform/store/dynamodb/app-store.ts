// AppStore on DynamoDB. Each app is two items written in one transaction: the record under its
// app id (listed through the byCreatedAt index) and a copy under "client#<client id>", so the
// per-request token check is a single strongly consistent GetItem and sees a deactivation at once.
import { GetCommand, TransactWriteCommand, paginateQuery, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AppRecord, AppStore } from '../ports.ts';
import { conditionFailed, dynamoCall, type Dynamo } from './client.ts';

const LIST_KEY = 'app';
const clientKey = (clientId: string) => `client#${clientId}`;
type Item = AppRecord & { listKey?: string };

const fromItem = ({ listKey: _, ...record }: Item): AppRecord => record;

export function dynamoAppStore(dynamo: Dynamo): AppStore {
  const TableName = dynamo.table('apps');
  const get = async (appId: string) =>
    (await dynamoCall('application', () => dynamo.doc.send(new GetCommand({ TableName, Key: { appId }, ConsistentRead: true })))).Item as Item | undefined;
  const transact = (what: string, items: NonNullable<TransactWriteCommandInput['TransactItems']>) =>
    dynamoCall(what, () => dynamo.doc.send(new TransactWriteCommand({ TransactItems: items })));

  return {
    async create(app) {
      await transact('application', [
        { Put: { TableName, Item: { ...app, listKey: LIST_KEY }, ConditionExpression: 'attribute_not_exists(appId)' } },
        { Put: { TableName, Item: { ...app, appId: clientKey(app.clientId), recordId: app.appId }, ConditionExpression: 'attribute_not_exists(appId)' } },
      ]);
    },
    async findById(appId) {
      if (appId.startsWith('client#')) return undefined;
      const item = await get(appId);
      return item && fromItem(item);
    },
    async findByClientId(clientId) {
      const item = (await get(clientKey(clientId))) as (Item & { recordId: string }) | undefined;
      if (!item) return undefined;
      const { recordId, ...record } = item;
      return fromItem({ ...record, appId: recordId });
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
      const current = await this.findById(appId);
      if (!current) return undefined;
      const fields = Object.entries(change).filter(([, value]) => value !== undefined);
      if (fields.length === 0) return current;
      // SET only the changed fields on both items: concurrent changes to other fields survive.
      const update = {
        UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(fields.map(([, value], i) => [`:v${i}`, value])),
        ConditionExpression: 'attribute_exists(appId)',
      };
      try {
        await dynamo.doc.send(new TransactWriteCommand({
          TransactItems: [
            { Update: { TableName, Key: { appId }, ...update } },
            { Update: { TableName, Key: { appId: clientKey(current.clientId) }, ...update } },
          ],
        }));
      } catch (error) {
        if (conditionFailed(error)) return undefined; // deleted meanwhile
        return dynamoCall('application', () => Promise.reject(error));
      }
      return { ...current, ...Object.fromEntries(fields) };
    },
    async delete(appId) {
      const current = await this.findById(appId);
      if (!current) return false;
      await transact('application', [
        { Delete: { TableName, Key: { appId } } },
        { Delete: { TableName, Key: { appId: clientKey(current.clientId) } } },
      ]);
      return true;
    },
  };
}
