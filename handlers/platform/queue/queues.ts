// Every job queue the platform uses. The CDK app creates one SQS queue (and its dead-letter queue)
// per name; the embedded queue keeps them apart by name in one table.
export const QUEUES = ['model-invocations'] as const;
export type QueueName = (typeof QUEUES)[number];
