import { createDynamo } from '../../handlers/platform/store/dynamodb/client.ts';
import { tableName } from '../../handlers/platform/store/dynamodb/tables.ts';
import { inMemoryLiveGenerations } from '../../handlers/vector/index/opensearch/live-generations.ts';
import { dynamoLiveGenerations } from '../../handlers/vector/index/opensearch/dynamodb-live-generations.ts';
import { VECTOR_TABLES } from '../../handlers/vector/catalog/dynamodb-vector-tables.ts';
import { createTable, startLocalAws } from '../helpers/aws-local.ts';
import { liveGenerationsContract } from './live-generations-contract.ts';

liveGenerationsContract('in memory', async () => ({ live: inMemoryLiveGenerations(), close: async () => {} }));

liveGenerationsContract('DynamoDB (dynalite)', async () => {
  const aws = await startLocalAws();
  await createTable(tableName('live', 'vector-generations'), VECTOR_TABLES['vector-generations']);
  const dynamo = createDynamo('live');
  return {
    live: dynamoLiveGenerations(dynamo),
    async close() {
      dynamo.doc.destroy();
      await aws.close();
    },
  };
});
