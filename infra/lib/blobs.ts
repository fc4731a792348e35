// The blob bucket (BLOBS=s3): uploaded files and the results made from them, every object under
// its application's prefix. Private, encrypted, TLS-only. Uploads are removed by the worker once
// their file is extracted; the lifecycle rule is the backstop for what no job finishes (an upload
// never started) and removes results after the jobs that list them are gone.
import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Naming } from './naming.ts';
import { acknowledge } from './nag.ts';

export interface BlobsProps {
  naming: Naming;
  removalPolicy: RemovalPolicy;
  /** Where S3 writes the bucket's access logs. */
  logBucket: s3.IBucket;
  /** Objects older than this are removed: longer than a job may live (DOCUMENT_RETENTION_DAYS after it ends). */
  expiration: Duration;
}

export class Blobs extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: BlobsProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: `${props.naming.name('blobs')}-${Stack.of(this).account}-${Stack.of(this).region}`,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: props.expiration, abortIncompleteMultipartUploadAfter: Duration.days(1) }],
      removalPolicy: props.removalPolicy,
    });
    // Access logs go to the platform's log bucket, delivered under a bucket policy: that bucket
    // enforces bucket-owner ownership, so the ACL that `serverAccessLogsBucket` would grant is refused.
    (this.bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = { destinationBucketName: props.logBucket.bucketName, logFilePrefix: 'blobs/' };
    props.logBucket.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [props.logBucket.arnForObjects('blobs/*')],
      conditions: { ArnLike: { 'aws:SourceArn': this.bucket.bucketArn }, StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
    }));
  }

  /**
   * Lets `role` read, write and delete objects (and list, so that a missing object is a 404, not a
   * 403). Signed URLs act as the role that signed them: the service role needs this to hand out
   * upload URLs.
   */
  grantReadWrite(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [this.bucket.arnForObjects('*')] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    acknowledge(role, `IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
      'Objects are keyed by application id under one bucket; the service checks the app on every key (BlobStore), so the role reaches every object of this bucket and no other.');
  }
}

/** Amazon Textract's asynchronous document analysis; it has no resource-level permissions. */
export function textractAnalyze(role: iam.IRole): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['textract:StartDocumentAnalysis', 'textract:GetDocumentAnalysis'], resources: ['*'] }));
  acknowledge(role, 'IAM5[Resource::*]', 'Textract StartDocumentAnalysis and GetDocumentAnalysis support no resource-level permissions; the input is limited by the blob bucket grant.');
}
