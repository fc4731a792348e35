// The shared vector catalogue contract on the DynamoDB adapter (dynalite).
import { createDynamo } from '../../handlers/platform/store/dynamodb/client.ts';
import { tableName } from '../../handlers/platform/store/dynamodb/tables.ts';
import { dynamoVectorCatalog } from '../../handlers/vector/catalog/dynamodb-vector-catalog.ts';
import { VECTOR_TABLES } from '../../handlers/vector/catalog/dynamodb-vector-tables.ts';
import { createTable, startLocalAws } from '../helpers/aws-local.ts';
import { vectorCatalogContract } from './vector-catalog-contract.ts';

vectorCatalogContract('DynamoDB (dynalite)', async () => {
  const aws = await startLocalAws();
  await createTable(tableName('contract', 'vector-catalog'), VECTOR_TABLES['vector-catalog']);
  const dynamo = createDynamo('contract');
  return {
    catalog: dynamoVectorCatalog(dynamo),
    async close() {
      dynamo.doc.destroy();
      await aws.close();
    },
  };
});
