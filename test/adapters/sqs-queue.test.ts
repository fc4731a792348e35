import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ReceiveMessageCommand, SQSClient, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { sqsJobQueue } from '../../handlers/platform/queue/sqs-job-queue.ts';
import { startLocalAws, type LocalAws } from '../helpers/aws-local.ts';
import { CONTRACT_QUEUES, queueContract } from './queue-contract.ts';

let aws: LocalAws;
const sqs = () => new SQSClient({});

queueContract('SQS (local-aws-sqs)', async () => {
  aws = await startLocalAws();
  await aws.createQueues('contract', CONTRACT_QUEUES.flatMap((name) => [name, `${name}-dlq`]));
  const client = sqs();
  return {
    queue: sqsJobQueue(client, { prefix: 'contract', waitSeconds: 0 }),
    async close() {
      client.destroy();
    },
  };
});

it('moves a dead letter to the dead-letter queue with its error', async () => {
  const client = sqs();
  const queue = sqsJobQueue(client, { prefix: 'contract', waitSeconds: 0 });
  const id = await queue.enqueue('contract-c', { poison: 2 });
  await queue.claim('contract-c', 1000);
  await queue.deadLetter(id, 'handler threw');
  const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: 'contract-contract-c-dlq' }));
  const out = await client.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'] }));
  const letter = out.Messages?.find((m) => JSON.parse(m.Body!).poison === 2);
  assert.equal(letter?.MessageAttributes?.error?.StringValue, 'handler threw');
  client.destroy();
  await aws.close();
});
