import { createDynamo, pingDynamo } from '../../handlers/platform/store/dynamodb/client.ts';
import { dynamoAppStore } from '../../handlers/platform/store/dynamodb/app-store.ts';
import { dynamoAdminStore } from '../../handlers/platform/store/dynamodb/admin-store.ts';
import { dynamoPromptStore } from '../../handlers/prompt/dynamodb-prompt-store.ts';
import { dynamoInvocationStore } from '../../handlers/model/dynamodb-invocation-store.ts';
import { dynamoUsageLedger } from '../../handlers/platform/usage/dynamodb-usage-ledger.ts';
import { createLogger } from '../../handlers/platform/logger.ts';
import { startLocalAws } from '../helpers/aws-local.ts';
import { storeContract } from './store-contract.ts';

storeContract('DynamoDB (dynalite)', async () => {
  const aws = await startLocalAws();
  await aws.createTables('contract');
  const dynamo = createDynamo('contract');
  const ledger = dynamoUsageLedger(dynamo, createLogger('silent'));
  return {
    apps: dynamoAppStore(dynamo),
    admin: dynamoAdminStore(dynamo),
    prompts: dynamoPromptStore(dynamo),
    invocations: dynamoInvocationStore(dynamo),
    ledger,
    ping: () => pingDynamo(dynamo),
    async close() {
      await ledger.close();
      dynamo.doc.destroy();
      await aws.close();
    },
  };
});
