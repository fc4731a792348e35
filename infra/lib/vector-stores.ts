// OpenSearch Serverless for the vector service (VECTOR_BACKEND=opensearchserverless): the AOSS
// interface VPC endpoint, the collections' only network path (each store's network policy names
// it), and the IAM grant of the `aoss:vector-stores` capability. The service creates a collection
// per store at run time (handlers/vector/index/opensearch/collections.ts), every collection and
// policy named `<aoss prefix>-…`, so the grant is scoped to that prefix.
import { createHash } from 'node:crypto';
import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as aoss from 'aws-cdk-lib/aws-opensearchserverless';
import { Construct } from 'constructs';
import { PREFIX_PATTERN as AOSS_PREFIX_PATTERN } from '../../handlers/vector/index/opensearch/collections.ts';
import { acknowledge } from './nag.ts';
import type { Naming } from './naming.ts';
import type { Network } from './network.ts';

/**
 * The collections' name prefix: AOSS names are at most 32 characters and a policy name adds 21 to
 * the prefix, so it has at most 10. The platform prefix when it fits, else its first 5 characters
 * and 4 of its hash (stable per platform prefix, distinct for two platforms in one account).
 */
export function aossPrefix(platformPrefix: string): string {
  if (AOSS_PREFIX_PATTERN.test(platformPrefix)) return platformPrefix;
  const digest = createHash('sha256').update(platformPrefix).digest('hex').slice(0, 4);
  return `${platformPrefix.slice(0, 5).replace(/-+$/, '')}-${digest}`;
}

export interface VectorStoresProps {
  naming: Naming;
  network: Network;
}

export class VectorStores extends Construct {
  readonly prefix: string;
  readonly endpoint: aoss.CfnVpcEndpoint;

  constructor(scope: Construct, id: string, { naming, network }: VectorStoresProps) {
    super(scope, id);
    this.prefix = aossPrefix(naming.prefix);
    const securityGroup = new ec2.SecurityGroup(this, 'EndpointSg', {
      vpc: network.vpc,
      description: 'OpenSearch Serverless endpoint: HTTPS from inside the VPC',
      allowAllOutbound: false,
    });
    securityGroup.addIngressRule(ec2.Peer.ipv4(network.cidr), ec2.Port.tcp(443), 'HTTPS from the VPC');
    this.endpoint = new aoss.CfnVpcEndpoint(this, 'Endpoint', {
      name: `${this.prefix}-vpce`,
      vpcId: network.vpc.vpcId,
      subnetIds: network.vpc.privateSubnets.map((subnet) => subnet.subnetId),
      securityGroupIds: [securityGroup.securityGroupId],
    });
  }

  /** The VPC endpoint's id (`vpce-…`), as each store's network policy names it. */
  get endpointId(): string {
    return this.endpoint.attrId;
  }

  /**
   * Manage the platform's collections and their policies, and use their data plane. AOSS collection
   * ARNs carry the collection's generated id, not its name, so names are matched with the
   * `aoss:collection` condition key. Of these actions only APIAccessAll and DeleteCollection have
   * a resource type (collection); CreateCollection, BatchGetCollection and the policy actions
   * (Create/Delete SecurityPolicy, Create/Delete AccessPolicy) support only Resource "*", narrowed
   * by the same condition. TagResource (a create with tags) is matched on the collection ARN.
   */
  grant(role: iam.IRole): void {
    const stack = Stack.of(this);
    const collections = `arn:${stack.partition}:aoss:${stack.region}:${stack.account}:collection/*`;
    const named = { StringLike: { 'aoss:collection': `${this.prefix}-*` } };
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'VectorStoreCollections',
      actions: ['aoss:CreateCollection', 'aoss:BatchGetCollection', 'aoss:DeleteCollection', 'aoss:CreateSecurityPolicy', 'aoss:DeleteSecurityPolicy', 'aoss:CreateAccessPolicy', 'aoss:DeleteAccessPolicy'],
      resources: ['*'],
      conditions: named,
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'VectorStoreData', actions: ['aoss:APIAccessAll'], resources: [collections], conditions: named }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'VectorStoreTags', actions: ['aoss:TagResource'], resources: [collections] }));
    acknowledge(role, 'IAM5[Resource::*]', `AOSS CreateCollection, BatchGetCollection and the security/access policy actions support only Resource "*"; the aoss:collection condition limits them to collections named ${this.prefix}-*.`);
    const literal = (value: string, pseudo: string) => (Token.isUnresolved(value) ? `<AWS::${pseudo}>` : value);
    acknowledge(role, `IAM5[Resource::arn:<AWS::Partition>:aoss:${literal(stack.region, 'Region')}:${literal(stack.account, 'AccountId')}:collection/*]`,
      'AOSS collection ARNs end in a generated id, unknown at synth; data access is limited by the aoss:collection condition to the platform prefix, and tagging is harmless.');
  }
}
