// PromptStore on DynamoDB. One partition per app (every key starts with the app id, so no query
// can reach another app's templates). Per template name: a head item holding the version counter
// (listed through the sparse `heads` index), one item per version, one per label.
// The next version number comes from an atomic ADD on the head, so concurrent saves never collide.
import {
  GetCommand, PutCommand, QueryCommand, UpdateCommand, paginateQuery, type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { batchWrite, dynamoCall, type Dynamo } from '../platform/store/dynamodb/client.ts';
import type { PromptStore, PromptSummary, PromptVersion } from './prompt-store.ts';

// encodeURIComponent never yields '#', so one name's keys can never prefix another's.
const base = (name: string) => `t#${encodeURIComponent(name)}#`;
const headKey = (name: string) => `${base(name)}head`;
const versionPrefix = (name: string) => `${base(name)}v#`;
const versionKey = (name: string, version: number) => `${versionPrefix(name)}${String(version).padStart(10, '0')}`;
const labelPrefix = (name: string) => `${base(name)}l#`;

type VersionItem = PromptVersion & { appId: string; sk: string };
const fromItem = ({ id, name, version, template, createdAt }: VersionItem): PromptVersion => ({ id, name, version, template, createdAt });

export function dynamoPromptStore(dynamo: Dynamo): PromptStore {
  const TableName = dynamo.table('prompts');

  async function queryAll<T>(input: Omit<QueryCommandInput, 'TableName'>): Promise<T[]> {
    const items: T[] = [];
    await dynamoCall('prompt template', async () => {
      for await (const page of paginateQuery({ client: dynamo.doc }, { TableName, ConsistentRead: !input.IndexName, ...input })) {
        items.push(...((page.Items ?? []) as T[]));
      }
    });
    return items;
  }
  const withPrefix = (appId: string, prefix: string, extra: Partial<QueryCommandInput> = {}) =>
    queryAll<Record<string, any>>({
      KeyConditionExpression: 'appId = :app AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':app': appId, ':prefix': prefix },
      ...extra,
    });
  const labelsOf = async (appId: string, name: string) =>
    Object.fromEntries((await withPrefix(appId, labelPrefix(name))).map((item) => [item.label as string, item.version as number]));

  return {
    async saveVersion(appId, draft) {
      const head = await dynamoCall('prompt template', () => dynamo.doc.send(new UpdateCommand({
        TableName,
        Key: { appId, sk: headKey(draft.name) },
        UpdateExpression: 'ADD latestVersion :one SET headAppId = :app, #name = :name, updatedAt = :at',
        ExpressionAttributeNames: { '#name': 'name' },
        ExpressionAttributeValues: { ':one': 1, ':app': appId, ':name': draft.name, ':at': draft.createdAt },
        ReturnValues: 'UPDATED_NEW',
      })));
      const version: PromptVersion = { ...draft, version: head.Attributes!.latestVersion as number };
      await dynamoCall('prompt template', () => dynamo.doc.send(new PutCommand({
        TableName,
        Item: { appId, sk: versionKey(draft.name, version.version), ...version },
        ConditionExpression: 'attribute_not_exists(sk)',
      })));
      return version;
    },
    async latest(appId, name) {
      const out = await dynamoCall('prompt template', () => dynamo.doc.send(new QueryCommand({
        TableName,
        KeyConditionExpression: 'appId = :app AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':app': appId, ':prefix': versionPrefix(name) },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      })));
      const item = out.Items?.[0] as VersionItem | undefined;
      return item && fromItem(item);
    },
    async version(appId, name, version) {
      const out = await dynamoCall('prompt template', () => dynamo.doc.send(new GetCommand({ TableName, Key: { appId, sk: versionKey(name, version) }, ConsistentRead: true })));
      return out.Item && fromItem(out.Item as VersionItem);
    },
    async versions(appId, name) {
      return (await withPrefix(appId, versionPrefix(name), { ScanIndexForward: false })).map((item) => fromItem(item as VersionItem));
    },
    async allVersions(appId) {
      const versions = (await withPrefix(appId, 't#')).filter((item) => item.sk.includes('#v#')).map((item) => fromItem(item as VersionItem));
      return versions.sort((a, b) => (a.name === b.name ? b.version - a.version : a.name < b.name ? -1 : 1));
    },
    async summaries(appId, limit, afterName = '') {
      const out = await dynamoCall('prompt template', () => dynamo.doc.send(new QueryCommand({
        TableName,
        IndexName: 'heads',
        KeyConditionExpression: afterName ? 'headAppId = :app AND #name > :after' : 'headAppId = :app',
        ExpressionAttributeNames: afterName ? { '#name': 'name' } : undefined,
        ExpressionAttributeValues: { ':app': appId, ...(afterName && { ':after': afterName }) },
        Limit: limit,
      })));
      return Promise.all((out.Items ?? []).map(async (head): Promise<PromptSummary> => ({
        name: head.name,
        latestVersion: head.latestVersion,
        updatedAt: head.updatedAt,
        labels: await labelsOf(appId, head.name),
      })));
    },
    labels: labelsOf,
    async setLabel(appId, name, label, version) {
      if (!(await this.version(appId, name, version))) return false;
      await dynamoCall('prompt label', () => dynamo.doc.send(new PutCommand({ TableName, Item: { appId, sk: `${labelPrefix(name)}${label}`, label, version } })));
      return true;
    },
    async deleteTemplate(appId, name) {
      const items = await withPrefix(appId, base(name));
      await batchWrite(dynamo, TableName, items.map((item) => ({ DeleteRequest: { Key: { appId, sk: item.sk } } })), 'prompt template');
      return items.filter((item) => item.sk.startsWith(versionPrefix(name))).length;
    },
  };
}
