// VectorCatalog on DynamoDB (table `vector-catalog`, see dynamodb-vector-tables.ts).
// - A store is one item under its app's key: another app's store id is another key.
// - An index is one item keyed by its id alone (ids are unique across apps) holding its app, so the
//   OpenSearch backend can find an index's store (locateIndex); every tenant read checks the app.
// - An index name is unique in its store through a claim item (holding the whole index record)
//   written first, on condition that it does not exist: of concurrent creates of one name, one
//   wins and the others answer the winner's record (created: false). The index item by id is
//   written after it from the claim's record, by the creator and again by any later create of the
//   name, so a create that crashed between the two writes is completed by running it again.
//   No transactions (the emulator the tests run on has none, and one write at a time suffices):
//   delete removes the claim first, then the index item, so a delete cut in between leaves an
//   index that is still found and that deleting again removes.
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { conditionFailed, dynamoCall, type Dynamo } from '../../platform/store/dynamodb/client.ts';
import { ProblemError } from '../../platform/problems.ts';
import { catalogPageSize, decodeCatalogCursor, encodeCatalogCursor, orderKey } from './pages.ts';
import type { PageRequest, VectorCatalog, VectorIndexRecord, VectorStoreRecord } from './ports.ts';

/** What a backend addressing indexes by id alone needs (the OpenSearch backend's endpoint lookup). */
export interface IndexLocator {
  locateIndex(indexId: string): Promise<{ appId: string; storeId: string } | undefined>;
}

const STORE_SK = 'store';
const INDEX_SK = 'index';
const enc = encodeURIComponent; // never yields '#', so one key can never prefix another's
const storePk = (appId: string, storeId: string) => `store#${enc(appId)}#${enc(storeId)}`;
const indexPk = (indexId: string) => `index#${enc(indexId)}`;
const nameSk = (indexName: string) => `name#${indexName}`;
const storesList = (appId: string) => `stores#${enc(appId)}`;
const indexesList = (appId: string, storeId: string) => `indexes#${enc(appId)}#${enc(storeId)}`;

type Keys = { pk: string; sk: string; listKey: string; orderKey: string };
const strip = <T extends object>({ pk: _pk, sk: _sk, listKey: _l, orderKey: _o, ...record }: T & Keys) => record as unknown as T;

/** How often putIndex claims a name again when the index holding it is deleted in between. */
const CLAIM_RETRIES = 3;

export function dynamoVectorCatalog(dynamo: Dynamo): VectorCatalog & IndexLocator {
  const TableName = dynamo.table('vector-catalog');
  /** Runs a conditional write: false when its condition failed, other failures as dynamoCall maps them. */
  const conditional = (what: string, write: () => Promise<unknown>) => dynamoCall(what, async () => {
    try {
      await write();
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  });
  const get = async (pk: string, sk: string) =>
    (await dynamoCall('vector catalogue', () => dynamo.doc.send(new GetCommand({ TableName, Key: { pk, sk }, ConsistentRead: true })))).Item;

  /** One page of a list, ordered by orderKey (newest first for stores, oldest first for indexes). */
  async function listed<T extends object>(listKey: string, newestFirst: boolean, page: PageRequest = {}) {
    const size = catalogPageSize(page);
    const after = page.cursor === undefined ? undefined : decodeCatalogCursor(page.cursor);
    const items: (T & Keys)[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const out = await dynamoCall('vector catalogue', () => dynamo.doc.send(new QueryCommand({
        TableName, IndexName: 'listed', ScanIndexForward: !newestFirst, ExclusiveStartKey, Limit: size + 1 - items.length,
        KeyConditionExpression: `listKey = :list${after === undefined ? '' : ` AND orderKey ${newestFirst ? '<' : '>'} :after`}`,
        ExpressionAttributeValues: { ':list': listKey, ...(after !== undefined && { ':after': after }) },
      })));
      items.push(...((out.Items ?? []) as (T & Keys)[]));
      ExclusiveStartKey = out.LastEvaluatedKey;
    } while (ExclusiveStartKey && items.length <= size);
    const pageItems = items.slice(0, size);
    return { items: pageItems.map((item) => strip<T>(item)), next: items.length > size ? encodeCatalogCursor(pageItems.at(-1)!.orderKey) : null };
  }

  async function indexItem(indexId: string) {
    return (await get(indexPk(indexId), INDEX_SK)) as (VectorIndexRecord & Keys) | undefined;
  }
  /** The index by id, from its claim's record; a repeat (a retry, a concurrent create) finds it there already. */
  async function writeIndexItem(index: VectorIndexRecord) {
    await conditional('vector index', () => dynamo.doc.send(new PutCommand({
      TableName,
      Item: { ...index, pk: indexPk(index.indexId), sk: INDEX_SK, listKey: indexesList(index.appId, index.storeId), orderKey: orderKey(index.createdAt, index.indexId) },
      ConditionExpression: 'attribute_not_exists(pk)',
    })));
  }
  async function getIndex(appId: string, indexId: string) {
    const item = await indexItem(indexId);
    return item && item.appId === appId ? strip<VectorIndexRecord>(item) : undefined;
  }

  return {
    async putStore(store) {
      const written = await conditional('vector store', () => dynamo.doc.send(new PutCommand({
        TableName,
        Item: { ...store, pk: storePk(store.appId, store.storeId), sk: STORE_SK, listKey: storesList(store.appId), orderKey: orderKey(store.createdAt, store.storeId) },
        ConditionExpression: 'attribute_not_exists(pk)',
      })));
      if (!written) throw new ProblemError('CONFLICT', `The vector store id ${store.storeId} is already in use.`);
    },

    async getStore(appId, storeId) {
      const item = (await get(storePk(appId, storeId), STORE_SK)) as (VectorStoreRecord & Keys) | undefined;
      return item && strip<VectorStoreRecord>(item);
    },

    listStores: (appId, page) => listed<VectorStoreRecord>(storesList(appId), true, page),

    async deleteStore(appId, storeId) {
      const out = await dynamoCall('vector store', () => dynamo.doc.send(new DeleteCommand({ TableName, Key: { pk: storePk(appId, storeId), sk: STORE_SK }, ReturnValues: 'ALL_OLD' })));
      return out.Attributes !== undefined;
    },

    async putIndex(index) {
      const claim = { pk: storePk(index.appId, index.storeId), sk: nameSk(index.indexName) };
      for (let attempt = 0; attempt <= CLAIM_RETRIES; attempt++) {
        const claimed = await conditional('vector index', () => dynamo.doc.send(new PutCommand({
          TableName, Item: { ...claim, indexId: index.indexId, record: index }, ConditionExpression: 'attribute_not_exists(pk)',
        })));
        const winner = claimed ? index : ((await get(claim.pk, claim.sk))?.record as VectorIndexRecord | undefined);
        if (!winner) continue; // the name's index was deleted in between: claim it again
        await writeIndexItem(winner);
        return { created: claimed, index: winner };
      }
      throw new ProblemError('CONFLICT', `The index name ${index.indexName} is being created and deleted at the same time; retry.`);
    },

    getIndex,

    listIndexes: (appId, storeId, page) => listed<VectorIndexRecord>(indexesList(appId, storeId), false, page),

    async deleteIndex(appId, indexId) {
      const index = await getIndex(appId, indexId);
      if (!index) return false;
      // The claim first: an index item left by a crash here is still found, and deleting it again completes the delete.
      await conditional('vector index', () => dynamo.doc.send(new DeleteCommand({
        TableName, Key: { pk: storePk(appId, index.storeId), sk: nameSk(index.indexName) },
        ConditionExpression: 'indexId = :id', ExpressionAttributeValues: { ':id': indexId },
      })));
      return conditional('vector index', () => dynamo.doc.send(new DeleteCommand({ TableName, Key: { pk: indexPk(indexId), sk: INDEX_SK }, ConditionExpression: 'attribute_exists(pk)' })));
    },

    async locateIndex(indexId) {
      const item = await indexItem(indexId);
      return item && { appId: item.appId, storeId: item.storeId };
    },
  };
}
