import { createDynamo } from '../../handlers/platform/store/dynamodb/client.ts';
import { dynamoAppStore } from '../../handlers/platform/store/dynamodb/app-store.ts';
import { dynamoApiKeyStore } from '../../handlers/platform/api-keys/dynamodb-api-key-store.ts';
import { startLocalAws } from '../helpers/aws-local.ts';
import { apiKeyStoreContract } from './api-key-store-contract.ts';

apiKeyStoreContract('DynamoDB (dynalite)', async () => {
  const aws = await startLocalAws();
  await aws.createTables('keys');
  const dynamo = createDynamo('keys');
  return {
    apps: dynamoAppStore(dynamo),
    keys: dynamoApiKeyStore(dynamo),
    async close() {
      dynamo.doc.destroy();
      await aws.close();
    },
  };
});
