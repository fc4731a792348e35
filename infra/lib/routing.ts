// How requests reach the services: API Gateway → VPC link → internal NLB → internal ALB, whose
// listener sends each path prefix to its service. Unknown paths get a problem+json 404 at the ALB.
import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { Naming } from './naming.ts';
import type { Network } from './network.ts';
import { acknowledge } from './nag.ts';

export interface RoutingProps {
  naming: Naming;
  network: Network;
  logBucket: s3.IBucket;
}

export const SERVICE_PORT = 8080;
/** Answered 200 by the ALB itself: the NLB's health check of its ALB target. */
export const ALB_HEALTH_PATH = '/alb-health';

const notFound = JSON.stringify({ type: '/problems/route-not-found', title: 'Route not found', status: 404, code: 'ROUTE_NOT_FOUND', detail: 'No such route.' });

export class Routing extends Construct {
  readonly listener: elbv2.ApplicationListener;
  readonly nlb: elbv2.NetworkLoadBalancer;
  readonly vpcLink: apigateway.VpcLink;
  readonly albSecurityGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, { naming, network, logBucket }: RoutingProps) {
    super(scope, id);
    const { vpc } = network;
    const nlbSecurityGroup = new ec2.SecurityGroup(this, 'NlbSg', { vpc, description: 'Internal NLB behind the API Gateway VPC link', allowAllOutbound: false });
    // From inside the VPC; the VPC link's own traffic is exempt from evaluation (see the NLB below).
    nlbSecurityGroup.addIngressRule(ec2.Peer.ipv4(network.cidr), ec2.Port.tcp(80), 'VPC link traffic');
    this.albSecurityGroup = new ec2.SecurityGroup(this, 'AlbSg', { vpc, description: 'Internal ALB: only from the NLB', allowAllOutbound: false });
    this.albSecurityGroup.addIngressRule(nlbSecurityGroup, ec2.Port.tcp(80), 'from the NLB');
    nlbSecurityGroup.addEgressRule(this.albSecurityGroup, ec2.Port.tcp(80), 'to the ALB');

    const alb = new elbv2.ApplicationLoadBalancer(this, 'Alb', {
      loadBalancerName: naming.name('alb'),
      vpc,
      vpcSubnets: network.appSubnets,
      internetFacing: false,
      securityGroup: this.albSecurityGroup,
      dropInvalidHeaderFields: true,
    });
    alb.logAccessLogs(logBucket, 'alb');
    this.listener = alb.addListener('Http', {
      port: 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultAction: elbv2.ListenerAction.fixedResponse(404, { contentType: 'application/json', messageBody: notFound }),
    });
    // What the NLB's health check of the ALB asks for: the ALB itself answers (the default action's 404 would mark it unhealthy).
    this.listener.addAction('Health', {
      priority: 1,
      conditions: [elbv2.ListenerCondition.pathPatterns([ALB_HEALTH_PATH])],
      action: elbv2.ListenerAction.fixedResponse(200, { contentType: 'application/json', messageBody: '{"status":"UP"}' }),
    });

    this.nlb = new elbv2.NetworkLoadBalancer(this, 'Nlb', {
      loadBalancerName: naming.name('nlb'),
      vpc,
      vpcSubnets: network.appSubnets,
      internetFacing: false,
      crossZoneEnabled: true,
      securityGroups: [nlbSecurityGroup],
      // VPC link (PrivateLink) traffic does not come from the VPC's CIDR: AWS's guide for REST private
      // integrations says to leave it out of security-group evaluation, or API Gateway cannot connect.
      enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: false,
    });
    acknowledge(this.nlb, 'ELB2', 'NLB access logs exist only for TLS listeners; every request is logged by the ALB behind it and by API Gateway in front.');
    this.nlb.addListener('Tcp', { port: 80, protocol: elbv2.Protocol.TCP }).addTargets('Alb', {
      port: 80,
      protocol: elbv2.Protocol.TCP,
      targets: [new targets.AlbListenerTarget(this.listener)],
      healthCheck: { protocol: elbv2.Protocol.HTTP, path: ALB_HEALTH_PATH, healthyHttpCodes: '200', interval: Duration.seconds(15) },
    });
    this.vpcLink = new apigateway.VpcLink(this, 'VpcLink', { vpcLinkName: naming.name('vpc-link'), targets: [this.nlb] });
  }
}
