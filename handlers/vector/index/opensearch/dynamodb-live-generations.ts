// LiveGenerations on DynamoDB (table `vector-generations`): one item per (index, file) holding the
// file's live generation. The swap is one PutItem returning the item it replaced, so two publishes
// of the same file are serialised by DynamoDB and each learns exactly the generation it replaced
// (which it then deletes). Reads are strongly consistent: a search right after a publish sees it.
import { DeleteCommand, PutCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { batchWrite, dynamoCall, type Dynamo } from '../../../platform/store/dynamodb/client.ts';
import type { LiveGenerations } from './live-generations.ts';

export function dynamoLiveGenerations(dynamo: Dynamo): LiveGenerations {
  const TableName = dynamo.table('vector-generations');
  const what = 'live generation';

  async function live(indexId: string): Promise<Map<string, string>> {
    const files = new Map<string, string>();
    await dynamoCall(what, async () => {
      const pages = paginateQuery({ client: dynamo.doc }, {
        TableName, ConsistentRead: true, KeyConditionExpression: 'pk = :index', ExpressionAttributeValues: { ':index': indexId },
        ProjectionExpression: 'sk, generation',
      });
      for await (const page of pages) for (const item of page.Items ?? []) files.set(item.sk as string, item.generation as string);
    });
    return files;
  }

  return {
    live,
    async swap(indexId, fileName, generation) {
      const out = await dynamoCall(what, () => dynamo.doc.send(new PutCommand({
        TableName, Item: { pk: indexId, sk: fileName, generation }, ReturnValues: 'ALL_OLD',
      })));
      return out.Attributes?.generation as string | undefined;
    },
    async remove(indexId, fileName) {
      await dynamoCall(what, () => dynamo.doc.send(new DeleteCommand({ TableName, Key: { pk: indexId, sk: fileName } })));
    },
    async drop(indexId) {
      const files = [...(await live(indexId)).keys()];
      await batchWrite(dynamo, TableName, files.map((sk) => ({ DeleteRequest: { Key: { pk: indexId, sk } } })), what);
    },
  };
}
