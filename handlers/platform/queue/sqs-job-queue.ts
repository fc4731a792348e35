// JobQueue on SQS: queue "<name>" is the SQS queue "<prefix>-<name>", its dead letters go to
// "<prefix>-<name>-dlq". A lease is the message's visibility timeout; a worker that dies simply
// lets it run out and the message is delivered again (the redrive policy moves it to the DLQ after
// maxReceiveCount deliveries even if no worker ever gets to call deadLetter).
import {
  ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Job, JobQueue } from './ports.ts';

export interface SqsJobQueueOptions {
  prefix: string;
  /** Long-polling wait of an empty claim (0–20 s): fewer requests while idle. */
  waitSeconds: number;
}

const MAX_VISIBILITY_SECONDS = 12 * 3600;
const seconds = (ms: number) => Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.ceil(ms / 1000)));

export function sqsJobQueue(sqs: SQSClient, { prefix, waitSeconds }: SqsJobQueueOptions): JobQueue {
  const urls = new Map<string, Promise<string>>();
  const url = (name: string) => {
    let found = urls.get(name);
    if (!found) {
      found = sqs.send(new GetQueueUrlCommand({ QueueName: `${prefix}-${name}` })).then((out) => out.QueueUrl!);
      found.catch(() => urls.delete(name));
      urls.set(name, found);
    }
    return found;
  };
  // Claimed messages: job id → where it came from and the handle that acknowledges it.
  const leased = new Map<string, { queue: string; receipt: string; body: string }>();
  const lease = (jobId: string) => {
    const found = leased.get(jobId);
    if (!found) throw new Error(`job ${jobId} is not leased by this process`);
    return found;
  };

  return {
    async enqueue(queue, payload) {
      const out = await sqs.send(new SendMessageCommand({ QueueUrl: await url(queue), MessageBody: JSON.stringify(payload) }));
      return out.MessageId!;
    },
    async claim(queue, leaseMs): Promise<Job | undefined> {
      const out = await sqs.send(new ReceiveMessageCommand({
        QueueUrl: await url(queue),
        MaxNumberOfMessages: 1,
        VisibilityTimeout: Math.max(1, seconds(leaseMs)),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        // The older name of the same parameter, still accepted by SQS and all that some emulators read.
        AttributeNames: ['All'],
      }));
      const message = out.Messages?.[0];
      if (!message) return undefined;
      leased.set(message.MessageId!, { queue, receipt: message.ReceiptHandle!, body: message.Body! });
      return {
        id: message.MessageId!,
        payload: JSON.parse(message.Body!),
        attempt: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
      };
    },
    async extend(jobId, leaseMs) {
      const { queue, receipt } = lease(jobId);
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: await url(queue), ReceiptHandle: receipt, VisibilityTimeout: Math.max(1, seconds(leaseMs)) }));
    },
    async complete(jobId) {
      const { queue, receipt } = lease(jobId);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: await url(queue), ReceiptHandle: receipt }));
      leased.delete(jobId);
    },
    async retry(jobId, delayMs) {
      const { queue, receipt } = lease(jobId);
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: await url(queue), ReceiptHandle: receipt, VisibilityTimeout: seconds(delayMs) }));
      leased.delete(jobId);
    },
    async deadLetter(jobId, error) {
      const { queue, receipt, body } = lease(jobId);
      await sqs.send(new SendMessageCommand({
        QueueUrl: await url(`${queue}-dlq`),
        MessageBody: body,
        MessageAttributes: { error: { DataType: 'String', StringValue: error.slice(0, 1000) || 'unknown' } },
      }));
      await sqs.send(new DeleteMessageCommand({ QueueUrl: await url(queue), ReceiptHandle: receipt }));
      leased.delete(jobId);
    },
  };
}
