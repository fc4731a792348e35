// The DynamoDB vector catalogue on dynalite: the shared contract, then what only this adapter has —
// finding an index by id alone (the OpenSearch backend's locator), and a create or a delete cut
// between its two writes completed by running it again.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamo, type Dynamo } from '../../handlers/platform/store/dynamodb/client.ts';
import { tableName } from '../../handlers/platform/store/dynamodb/tables.ts';
import { dynamoVectorCatalog, type IndexLocator } from '../../handlers/vector/catalog/dynamodb-vector-catalog.ts';
import { VECTOR_TABLES } from '../../handlers/vector/catalog/dynamodb-vector-tables.ts';
import type { VectorCatalog } from '../../handlers/vector/catalog/ports.ts';
import { createTable, startLocalAws } from '../helpers/aws-local.ts';
import { indexRecord, storeRecord, vectorCatalogContract } from './vector-catalog-contract.ts';

async function openCatalog(prefix: string) {
  const aws = await startLocalAws();
  await createTable(tableName(prefix, 'vector-catalog'), VECTOR_TABLES['vector-catalog']);
  const dynamo = createDynamo(prefix);
  return {
    aws, dynamo, catalog: dynamoVectorCatalog(dynamo),
    async close() {
      dynamo.doc.destroy();
      await aws.close();
    },
  };
}

vectorCatalogContract('DynamoDB (dynalite)', () => openCatalog('contract'));

describe('DynamoDB vector catalogue: by id, and cut between writes', () => {
  let dynamo: Dynamo;
  let catalog: VectorCatalog & IndexLocator;
  let close: () => Promise<void>;
  before(async () => ({ dynamo, catalog, close } = await openCatalog('own')));
  after(() => close());
  /** Deletes one item as a crash between two writes would leave it missing. */
  const lose = (pk: string, sk: string) => dynamo.doc.send(new DeleteCommand({ TableName: dynamo.table('vector-catalog'), Key: { pk, sk } }));

  it('locates an index by id alone (its app and store), and nothing for an unknown id', async () => {
    const store = storeRecord('app-a');
    await catalog.putStore(store);
    const index = indexRecord(store);
    await catalog.putIndex(index);
    assert.deepEqual(await catalog.locateIndex(index.indexId), { appId: 'app-a', storeId: store.storeId });
    assert.equal(await catalog.locateIndex(randomUUID()), undefined);
  });

  it('completes a create cut after its name claim: creating the name again writes the index it claimed', async () => {
    const store = storeRecord('app-a');
    await catalog.putStore(store);
    const first = indexRecord(store, { indexName: 'cut' });
    await catalog.putIndex(first);
    await lose(`index#${encodeURIComponent(first.indexId)}`, 'index'); // as if the second write never happened
    assert.equal(await catalog.getIndex('app-a', first.indexId), undefined);
    assert.deepEqual(await catalog.putIndex(indexRecord(store, { indexName: 'cut' })), { created: false, index: first });
    assert.deepEqual(await catalog.getIndex('app-a', first.indexId), first);
    assert.deepEqual((await catalog.listIndexes('app-a', store.storeId)).items, [first]);
  });

  it('completes a delete cut after the claim went: the index is still found and deleting it again removes it', async () => {
    const store = storeRecord('app-a');
    await catalog.putStore(store);
    const index = indexRecord(store, { indexName: 'half' });
    await catalog.putIndex(index);
    await lose(`store#app-a#${encodeURIComponent(store.storeId)}`, 'name#half'); // the delete's first write only
    assert.deepEqual(await catalog.getIndex('app-a', index.indexId), index);
    assert.equal(await catalog.deleteIndex('app-a', index.indexId), true);
    assert.equal(await catalog.getIndex('app-a', index.indexId), undefined);
    assert.equal((await catalog.putIndex(indexRecord(store, { indexName: 'half' }))).created, true);
  });
});
