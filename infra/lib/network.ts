// The VPC: private subnets for every task, endpoints so AWS traffic stays off the internet, flow
// logs, and NAT only when asked for (calls to non-AWS model servers need it).
import type { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Naming } from './naming.ts';

export interface NetworkProps {
  naming: Naming;
  cidr: string;
  natGateways: number;
  removalPolicy: RemovalPolicy;
}

// No cognito-idp endpoint: with private DNS it takes over the Cognito API name, and AWS does not
// serve pools that have a domain through it (both pools have one); Cognito is reached through NAT.
const INTERFACE_ENDPOINTS = {
  Ecr: ec2.InterfaceVpcEndpointAwsService.ECR,
  EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  Sqs: ec2.InterfaceVpcEndpointAwsService.SQS,
  SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  BedrockRuntime: ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME,
};

export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  /** The VPC's CIDR as a literal (security-group rules and nag checks need a concrete value). */
  readonly cidr: string;

  constructor(scope: Construct, id: string, { naming, cidr, natGateways, removalPolicy }: NetworkProps) {
    super(scope, id);
    this.cidr = cidr;
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      logGroupName: `/${naming.prefix}/vpc-flow-logs`,
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy,
    });
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: naming.name('vpc'),
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      maxAzs: 2,
      natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: ec2.FlowLogTrafficType.ALL } },
      // Locking the default security group needs a custom-resource Lambda; no task uses that group.
      restrictDefaultSecurityGroup: false,
    });
    this.vpc.addGatewayEndpoint('DynamoDb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
    // ECR image layers are served from S3.
    this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    const endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSg', {
      vpc: this.vpc,
      description: 'Interface endpoints: HTTPS from inside the VPC',
      allowAllOutbound: false,
    });
    endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from the VPC');
    for (const [name, service] of Object.entries(INTERFACE_ENDPOINTS)) {
      this.vpc.addInterfaceEndpoint(name, { service, privateDnsEnabled: true, subnets: this.appSubnets, securityGroups: [endpointSecurityGroup], open: false });
    }
  }

  /** The subnets tasks and load balancers run in. */
  get appSubnets(): ec2.SubnetSelection {
    return { subnets: this.vpc.privateSubnets };
  }
}
