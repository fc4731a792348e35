import { createDynamo } from '../../handlers/platform/store/dynamodb/client.ts';
import { JOBS_TABLE, JOBS_TABLE_SPEC, dynamoJobStore } from '../../handlers/platform/jobs/dynamodb-job-store.ts';
import { createTable, startLocalAws } from '../helpers/aws-local.ts';
import { jobStoreContract } from './job-store-contract.ts';

jobStoreContract('DynamoDB (dynalite)', async (clock) => {
  const aws = await startLocalAws();
  const table = `contract-${JOBS_TABLE}`;
  await createTable(table, JOBS_TABLE_SPEC);
  const dynamo = createDynamo('contract');
  return {
    store: dynamoJobStore(dynamo, table, { now: clock.now }),
    async close() {
      dynamo.doc.destroy();
      await aws.close();
    },
  };
});
