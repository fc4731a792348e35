// Durable state: the DynamoDB tables (point-in-time recovery, encryption, TTL where rows expire),
// one SQS queue per job queue with its dead-letter queue, and the bucket for load-balancer logs.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { tableName, type TableSpec } from '../../handlers/platform/store/dynamodb/tables.ts';
import type { Naming } from './naming.ts';
import { acknowledge } from './nag.ts';

export interface DataProps {
  naming: Naming;
  /** Every table of the platform, the kernel's and its modules' (platformTables). */
  tables: Record<string, TableSpec>;
  /** Every job queue of the platform's modules. */
  queues: string[];
  /** Of tables and queues (see PlatformStackProps.removalPolicy). */
  removalPolicy: RemovalPolicy;
  deletionProtection: boolean;
  /** Longer than any one job may run: a message stays hidden while its worker is on it. */
  jobVisibilityTimeout: Duration;
  /** Deliveries before a message is moved to its dead-letter queue. */
  maxReceiveCount: number;
}

// Explicit actions on the table and its named indexes: no Scan anywhere, no wildcards.
const READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'];
const WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

const key = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

export class Data extends Construct {
  readonly tables: Record<string, dynamodb.TableV2> = {};
  readonly queues: Record<string, { queue: sqs.Queue; deadLetters: sqs.Queue }> = {};
  private readonly specs: Record<string, TableSpec>;
  readonly logBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);
    const { naming, removalPolicy } = props;
    this.specs = props.tables;
    for (const [name, spec] of Object.entries(props.tables)) {
      this.tables[name] = new dynamodb.TableV2(this, `Table-${name}`, {
        tableName: tableName(naming.prefix, name),
        partitionKey: key(spec.partitionKey),
        ...(spec.sortKey && { sortKey: key(spec.sortKey) }),
        globalSecondaryIndexes: spec.indexes.map((index) => ({
          indexName: index.name,
          partitionKey: key(index.partitionKey),
          ...(index.sortKey && { sortKey: key(index.sortKey) }),
        })),
        ...(spec.ttl && { timeToLiveAttribute: spec.ttl }),
        billing: dynamodb.Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
        deletionProtection: props.deletionProtection,
        removalPolicy,
      });
    }
    for (const name of props.queues) {
      const common = { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED, removalPolicy };
      const deadLetters = new sqs.Queue(this, `DeadLetters-${name}`, {
        ...common,
        queueName: naming.name(`${name}-dlq`),
        retentionPeriod: Duration.days(14),
      });
      const queue = new sqs.Queue(this, `Queue-${name}`, {
        ...common,
        queueName: naming.name(name),
        visibilityTimeout: props.jobVisibilityTimeout,
        retentionPeriod: Duration.days(4),
        deadLetterQueue: { queue: deadLetters, maxReceiveCount: props.maxReceiveCount },
      });
      this.queues[name] = { queue, deadLetters };
    }
    // Load-balancer access logs only support SSE-S3.
    this.logBucket = new s3.Bucket(this, 'Logs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      // Unnamed, so a leftover never blocks a retry; kept (not emptied) unless the stack is throwaway.
      removalPolicy: removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    acknowledge(this.logBucket, 'S1', 'This is the access-log bucket; logging it into itself would loop.');
  }

  /** Lets `role` read (or read and write) one table and its indexes. */
  grant(role: iam.IGrantable, name: string, access: 'read' | 'readWrite'): void {
    const table = this.tables[name];
    const spec = this.specs[name];
    if (!table || !spec) throw new Error(`no table "${name}" to grant access to`);
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: access === 'read' ? READ : [...READ, ...WRITE],
      resourceArns: [table.tableArn, ...spec.indexes.map((index) => `${table.tableArn}/index/${index.name}`)],
    });
  }
}
