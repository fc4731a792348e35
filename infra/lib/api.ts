// The public REST API: built from generated/gateway/api.json (made from the OpenAPI specs by
// `npm run generate`), with the Cognito authorizer on every application route, the VPC link as
// the integration, JSON access logs, stage throttling, and a WAF web ACL in front.
import { readFileSync } from 'node:fs';
import type { RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { Naming } from './naming.ts';
import type { Routing } from './routing.ts';
import { acknowledge } from './nag.ts';

export const GATEWAY_DEFINITION = new URL('../../generated/gateway/api.json', import.meta.url);
export const STAGE = 'prod';

export interface ApiProps {
  naming: Naming;
  removalPolicy: RemovalPolicy;
  routing: Routing;
  appPool: cognito.IUserPool;
  throttle: { rateLimit: number; burstLimit: number };
}

/** Replaces every placeholder string `${Name}` in the definition with its value. */
export function fillPlaceholders(node: unknown, values: Record<string, string>): unknown {
  if (typeof node === 'string') return node.replace(/\$\{([A-Za-z]+)\}/g, (whole, name: string) => values[name] ?? whole);
  if (Array.isArray(node)) return node.map((item) => fillPlaceholders(item, values));
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fillPlaceholders(v, values)]));
  }
  return node;
}

export class Api extends Construct {
  readonly api: apigateway.SpecRestApi;

  constructor(scope: Construct, id: string, { naming, removalPolicy, routing, appPool, throttle }: ApiProps) {
    super(scope, id);
    const definition = fillPlaceholders(JSON.parse(readFileSync(GATEWAY_DEFINITION, 'utf8')), {
      CognitoUserPoolArn: appPool.userPoolArn,
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: `/${naming.prefix}/api-access`,
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy,
    });
    this.api = new apigateway.SpecRestApi(this, 'Api', {
      restApiName: naming.name('api'),
      apiDefinition: apigateway.ApiDefinition.fromInline(definition),
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: true,
      deployOptions: {
        stageName: STAGE,
        variables: { vpcLinkId: routing.vpcLink.vpcLinkId, backendHost: routing.nlb.loadBalancerDnsName },
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false, // request bodies carry prompts: never log them
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: throttle.rateLimit,
        throttlingBurstLimit: throttle.burstLimit,
      },
    });

    acknowledge(this.api, 'APIG2', 'Each service validates requests (and responses) against its OpenAPI spec; gateway models are left out because API Gateway rejects parts of JSON Schema.');
    acknowledge(this.api, 'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]', 'The account-level API Gateway logging role; this AWS managed policy is the documented one for it.');

    // No AWSManagedRulesCommonRuleSet: its 8 KB body limit would block ordinary prompts.
    const managed = (name: string, priority: number): wafv2.CfnWebACL.RuleProperty => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
      visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: name },
    });
    const acl = new wafv2.CfnWebACL(this, 'Waf', {
      name: naming.name('api-waf'),
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: naming.name('api-waf') },
      rules: [
        managed('AWSManagedRulesAmazonIpReputationList', 0),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 1),
        {
          name: 'PerIpRateLimit',
          priority: 2,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: 6000, aggregateKeyType: 'IP' } },
          visibilityConfig: { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: 'PerIpRateLimit' },
        },
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'WafAssociation', { resourceArn: this.api.deploymentStage.stageArn, webAclArn: acl.attrArn });
  }
}
