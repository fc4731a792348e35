// Real protocol emulators for the AWS adapters, on loopback: dynalite (DynamoDB) and
// local-aws-sqs (SQS). The SDK finds them through AWS_ENDPOINT_URL_<SERVICE>, exactly as it
// would find any other endpoint; tables and queues are created as the CDK app defines them.
import type { AddressInfo, Server } from 'node:net';
// @ts-expect-error dynalite ships no types
import dynalite from 'dynalite';
import { createSqsServer } from 'local-aws-sqs';
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { platformTables, tableName, type TableSpec } from '../../handlers/platform/store/dynamodb/tables.ts';
import { MODULES } from '../../handlers/modules.ts';

export interface LocalAws {
  /** Environment for the platform (and this process's SDK clients). */
  env: Record<string, string>;
  createTables(prefix: string): Promise<void>;
  createQueues(prefix: string, names?: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** Creates one table from its spec (string keys, ALL-projected indexes), as the CDK app would. */
export async function createTable(name: string, spec: TableSpec): Promise<void> {
  const client = new DynamoDBClient({});
  const keys = [spec.partitionKey, spec.sortKey, ...spec.indexes.flatMap((i) => [i.partitionKey, i.sortKey])].filter((k): k is string => !!k);
  const schema = (pk: string, sk?: string) => [{ AttributeName: pk, KeyType: 'HASH' as const }, ...(sk ? [{ AttributeName: sk, KeyType: 'RANGE' as const }] : [])];
  const input: CreateTableCommandInput = {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...new Set(keys)].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    KeySchema: schema(spec.partitionKey, spec.sortKey),
    ...(spec.indexes.length && {
      GlobalSecondaryIndexes: spec.indexes.map((i) => ({ IndexName: i.name, KeySchema: schema(i.partitionKey, i.sortKey), Projection: { ProjectionType: 'ALL' as const } })),
    }),
  };
  try {
    await client.send(new CreateTableCommand(input));
  } finally {
    client.destroy();
  }
}

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

export async function startLocalAws(): Promise<LocalAws> {
  const dynamo: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynamoPort = await listen(dynamo);
  const sqs = await createSqsServer({ port: 0, hostname: '127.0.0.1' });
  const env = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${dynamoPort}`,
    AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${(sqs.address() as AddressInfo).port}`,
  };
  Object.assign(process.env, env);
  return {
    env,
    async createTables(prefix) {
      for (const [name, spec] of Object.entries(platformTables(MODULES))) await createTable(tableName(prefix, name), spec);
    },
    async createQueues(prefix, names = MODULES.flatMap((m) => m.queues ?? [])) {
      const client = new SQSClient({});
      for (const name of names) {
        await client.send(new CreateQueueCommand({ QueueName: `${prefix}-${name}-dlq` }));
        await client.send(new CreateQueueCommand({ QueueName: `${prefix}-${name}` }));
      }
      client.destroy();
    },
    async close() {
      await new Promise((resolve) => dynamo.close(resolve));
      await new Promise((resolve) => sqs.close(resolve));
    },
  };
}
