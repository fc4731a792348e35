// Synthesises the CDK app offline (no account, no Docker) and checks the properties that keep the
// deployment safe. cdk-nag's AwsSolutions pack runs inside the synth: any finding not acknowledged
// in code fails it.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { platformTables } from '../../handlers/platform/store/dynamodb/tables.ts';
import { MODULES } from '../../handlers/modules.ts';
import type { ModuleDeclaration } from '../../handlers/platform/module.ts';
import { widgetModule } from '../../test/fixtures/widget-module/module.ts';
import { synth as synthStack } from './synth.ts';
import { buildApp } from '../bin/app.ts';
import { App } from 'aws-cdk-lib';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

const synth = (context: Record<string, string> = {}, modules?: ModuleDeclaration[]): Template => synthStack(context, modules).template;

const asArray = <T,>(x: T | T[]) => (Array.isArray(x) ? x : [x]);
const resources = (t: Template, type: string) => Object.entries(t.findResources(type)) as [string, Resource][];
/** Inline policies and the managed "overflow" policies CDK splits a large one into. */
const policies = (t: Template) => [...resources(t, 'AWS::IAM::Policy'), ...resources(t, 'AWS::IAM::ManagedPolicy')];
const taskRolePolicies = (t: Template) => {
  const byRole = new Map<string, Statement[]>();
  for (const [, policy] of policies(t)) {
    for (const role of (policy.Properties.Roles ?? []) as { Ref: string }[]) {
      const match = /^ServicesTask(.+?)TaskRole/.exec(role.Ref);
      if (match) byRole.set(match[1]!, [...(byRole.get(match[1]!) ?? []), ...policy.Properties.PolicyDocument.Statement]);
    }
  }
  return byRole;
};
const actionsOf = (statements: Statement[]) => statements.flatMap((s) => asArray(s.Action));

let template: Template;
before(() => { template = synth(); });

describe('API Gateway', () => {
  it('puts the Cognito authorizer, with the scope, on every application route and on no other', () => {
    const [[, api]] = resources(template, 'AWS::ApiGateway::RestApi') as [[string, Resource]];
    const body = api.Properties.Body;
    const expected = new Map<string, string[]>();
    for (const service of ['model', 'prompt', 'admin', 'document', 'vector', 'openai']) {
      const spec = JSON.parse(readFileSync(`generated/openapi/${service}.json`, 'utf8'));
      for (const [path, item] of Object.entries<any>(spec.paths)) {
        for (const [method, op] of Object.entries<any>(item)) {
          const scopes = (op.security ?? spec.security ?? []).find((req: object) => 'AppToken' in req)?.AppToken;
          expected.set(`${method} ${path}`, scopes ?? []);
        }
      }
    }
    // The platform's own pages outside the specs: the portal and the spec list it reads.
    for (const route of ['/portal', '/portal/{proxy+}', '/openapi', '/openapi/{proxy+}']) expected.set(`get ${route}`, []);
    const deployed = new Map<string, string[]>();
    for (const [path, item] of Object.entries<any>(body.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        deployed.set(`${method} ${path}`, op.security.find((req: object) => 'CognitoAppAuthorizer' in req)?.CognitoAppAuthorizer ?? []);
      }
    }
    assert.deepEqual([...deployed.keys()].sort(), [...expected.keys()].sort(), 'every operation of the deployed services is routed');
    for (const [route, scopes] of expected) assert.deepEqual(deployed.get(route), scopes, route);
    for (const [route, scopes] of deployed) {
      if (/ \/(model|prompt|document|vector)\//.test(route)) assert.deepEqual(scopes, ['genaifoundations/read'], `${route} is an application route`);
    }
    const authorizer = body.components.securitySchemes.CognitoAppAuthorizer['x-amazon-apigateway-authorizer'];
    const appPool = resources(template, 'AWS::Cognito::UserPool').find(([, pool]) => pool.Properties.UserPoolName === 'genai-foundations-apps')!;
    assert.deepEqual(authorizer.providerARNs, [{ 'Fn::GetAtt': [appPool[0], 'Arn'] }]);
    assert.doesNotMatch(JSON.stringify(body), /\$\{CognitoUserPoolArn\}/, 'no placeholder left');
  });

  it('serves the portal on the API stage itself (one origin with the admin API): proxied, unauthenticated, to the admin service', () => {
    const [[, api]] = resources(template, 'AWS::ApiGateway::RestApi') as [[string, Resource]];
    const portal = api.Properties.Body.paths['/portal/{proxy+}'].get;
    assert.deepEqual(portal.security, []);
    assert.equal(portal['x-amazon-apigateway-integration'].uri, 'http://${stageVariables.backendHost}/portal/{proxy}');
    assert.equal(api.Properties.Body.paths['/portal'].get['x-amazon-apigateway-integration'].uri, 'http://${stageVariables.backendHost}/portal/');
    const adminRule = resources(template, 'AWS::ElasticLoadBalancingV2::ListenerRule')
      .find(([, r]) => r.Properties.Conditions[0].PathPatternConfig?.Values[0] === '/admin/*')!;
    assert.deepEqual(adminRule[1].Properties.Conditions[0].PathPatternConfig.Values, ['/admin/*', '/portal', '/portal/*', '/openapi', '/openapi/*']);
    // The admin pool sends the sign-in code back to the portal there.
    const adminClient = resources(template, 'AWS::Cognito::UserPoolClient').find(([, c]) => c.Properties.AllowedOAuthFlows?.includes('code'))!;
    assert.match(JSON.stringify(adminClient[1].Properties.CallbackURLs), /portal\//);
  });

  it('logs access as JSON, throttles the stage, and never logs request bodies', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      MethodSettings: [Match.objectLike({ DataTraceEnabled: false, ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() })],
      Variables: { vpcLinkId: Match.anyValue(), backendHost: Match.anyValue() },
    });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });

  it('answers its own errors as problem+json', () => {
    const [[, api]] = resources(template, 'AWS::ApiGateway::RestApi') as [[string, Resource]];
    const responses = api.Properties.Body['x-amazon-apigateway-gateway-responses'];
    for (const name of ['UNAUTHORIZED', 'ACCESS_DENIED', 'THROTTLED', 'DEFAULT_4XX', 'DEFAULT_5XX']) {
      assert.equal(responses[name].responseParameters['gatewayresponse.header.Content-Type'], "'application/problem+json'", name);
    }
  });
});

describe('data', () => {
  it('creates every table the adapters use, with point-in-time recovery, encryption and a retained copy', () => {
    const tables = resources(template, 'AWS::DynamoDB::GlobalTable');
    assert.deepEqual(tables.map(([, t]) => t.Properties.TableName).sort(), Object.keys(platformTables(MODULES)).map((n) => `genai-foundations-${n}`).sort());
    for (const [id, table] of tables) {
      const replica = table.Properties.Replicas[0];
      assert.equal(replica.PointInTimeRecoverySpecification?.PointInTimeRecoveryEnabled, true, `${id} PITR`);
      assert.equal(table.Properties.SSESpecification?.SSEEnabled, true, `${id} encryption`);
      assert.equal(table.DeletionPolicy, 'RetainExceptOnCreate', `${id} is kept when the stack goes`);
    }
  });

  it('gives every job queue a dead-letter queue, encryption and TLS-only access', () => {
    const queues = resources(template, 'AWS::SQS::Queue');
    const main = queues.filter(([, q]) => !q.Properties.QueueName.endsWith('-dlq'));
    assert.deepEqual(main.map(([, q]) => q.Properties.QueueName), MODULES.flatMap((m) => m.queues ?? []).map((n) => `genai-foundations-${n}`));
    for (const [id, queue] of main) assert.ok(queue.Properties.RedrivePolicy?.maxReceiveCount > 0, `${id} has a DLQ`);
    for (const [id, queue] of queues) assert.equal(queue.Properties.SqsManagedSseEnabled, true, `${id} encrypted`);
    for (const [, policy] of resources(template, 'AWS::SQS::QueuePolicy')) {
      assert.ok(policy.Properties.PolicyDocument.Statement.some((s: Statement) => s.Effect === 'Deny' && JSON.stringify(s.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}'));
    }
  });

  it('keeps buckets encrypted, private and TLS-only', () => {
    for (const [id, bucket] of resources(template, 'AWS::S3::Bucket')) {
      assert.ok(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration.length > 0, `${id} encrypted`);
      assert.deepEqual(bucket.Properties.PublicAccessBlockConfiguration, { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    }
    for (const [id, policy] of resources(template, 'AWS::S3::BucketPolicy')) {
      const deny = policy.Properties.PolicyDocument.Statement.find((s: Statement) => s.Effect === 'Deny');
      // One condition only: the seed's AND of two conditions never matched.
      assert.deepEqual(deny?.Condition, { Bool: { 'aws:SecureTransport': 'false' } }, `${id} denies plain HTTP`);
    }
  });
  it('keeps uploads and results in a TLS-only, encrypted bucket whose objects expire', () => {
    const [[, bucket]] = resources(template, 'AWS::S3::Bucket').filter(([, b]) => JSON.stringify(b.Properties.BucketName ?? '').includes('blobs')) as [[string, Resource]];
    const rule = bucket.Properties.LifecycleConfiguration.Rules[0];
    assert.equal(rule.Status, 'Enabled');
    assert.ok(rule.ExpirationInDays >= 31, 'past the longest a finished job is kept');
    assert.equal(rule.AbortIncompleteMultipartUpload.DaysAfterInitiation, 1);
    assert.equal(bucket.Properties.LoggingConfiguration.LogFilePrefix, 'blobs/');
    const environment = resources(template, 'AWS::ECS::TaskDefinition')[0]![1].Properties.ContainerDefinitions[0].Environment;
    assert.equal(environment.find((e: { Name: string }) => e.Name === 'BLOBS').Value, 's3');
  });
});

describe('IAM', () => {
  it('gives each service its own task role', () => {
    const roles = resources(template, 'AWS::ECS::TaskDefinition').map(([, t]) => JSON.stringify(t.Properties.TaskRoleArn));
    assert.equal(new Set(roles).size, 9);
  });

  it('uses no wildcard actions and never allows a table Scan', () => {
    for (const [id, policy] of policies(template)) {
      for (const action of actionsOf(policy.Properties.PolicyDocument.Statement)) {
        if (/^(dynamodb|sqs|s3|bedrock|cognito-idp|secretsmanager):/.test(action)) assert.doesNotMatch(action, /\*/, `${id}: ${action}`);
        assert.notEqual(action, 'dynamodb:Scan', id);
      }
    }
  });

  it('grants each role only what its service uses', () => {
    const roles = taskRolePolicies(template);
    const resourcesOf = (role: string) => JSON.stringify(roles.get(role));
    const actions = (role: string) => new Set(actionsOf(roles.get(role) ?? []));
    assert.deepEqual([...roles.keys()].sort(), ['admin', 'document', 'documentworker', 'model', 'modelworker', 'openai', 'prompt', 'vector', 'vectorworker']);
    // Only the admin service manages Cognito app clients; only the model engine's roles call Bedrock
    // (openai and vector run the engine in-process, through the models capability: vector embeds).
    for (const role of ['prompt', 'model', 'modelworker', 'openai', 'vector', 'vectorworker']) assert.ok(![...actions(role)].some((a) => a.startsWith('cognito-idp:')), role);
    for (const role of ['prompt', 'admin', 'document', 'documentworker']) assert.ok(!actions(role).has('bedrock:InvokeModel'), role);
    assert.ok(['model', 'modelworker', 'openai', 'vector', 'vectorworker'].every((role) => actions(role).has('bedrock:InvokeModel')));
    // Only the vector roles reach OpenSearch Serverless (infra/test/vector-stores.test.ts checks how).
    for (const [role] of roles) assert.equal([...actions(role)].some((a) => a.startsWith('aoss:')), role.startsWith('vector'), role);
    // The OpenAI surface checks API keys; it reads them and cannot issue any.
    assert.match(resourcesOf('openai'), /Tableapikeys/i);
    // The API enqueues; only the worker receives.
    assert.ok(actions('model').has('sqs:SendMessage') && !actions('model').has('sqs:ReceiveMessage'));
    assert.ok(actions('modelworker').has('sqs:ReceiveMessage'));
    // Prompt reads apps (token check) and owns prompts; it cannot touch usage or admin data.
    assert.doesNotMatch(resourcesOf('prompt'), /Tableusage|Tableadmin|Tablejobs/);
    // Background invocations are jobs in the kernel's job store; the admin cancels a deleted app's.
    for (const role of ['model', 'modelworker', 'admin']) assert.match(resourcesOf(role), /Tablejobs/, role);
    // The worker reads apps (a deactivated app's invocations are cancelled), and nothing of admin or prompts.
    assert.doesNotMatch(resourcesOf('modelworker'), /Tableadmin|Tableprompts/);
    const appsAccess = roles.get('modelworker')!.filter((s) => JSON.stringify(s.Resource).includes('Tableapps')).flatMap((s) => asArray(s.Action));
    assert.ok(appsAccess.length > 0 && appsAccess.every((a) => !/Put|Update|Delete|Write/.test(a)), 'read-only on apps');
    // Only the document roles and the vector worker (chunks are chunking results) reach the blob bucket; only the document worker calls Textract.
    for (const role of ['document', 'documentworker', 'vectorworker']) assert.ok(actions(role).has('s3:PutObject') && actions(role).has('s3:GetObject'), role);
    for (const role of ['prompt', 'admin', 'model', 'modelworker', 'vector']) assert.ok(!actions(role).has('s3:GetObject'), role);
    assert.ok(actions('documentworker').has('textract:StartDocumentAnalysis') && !actions('document').has('textract:StartDocumentAnalysis'));
    assert.ok(actions('document').has('sqs:SendMessage') && !actions('document').has('sqs:ReceiveMessage'));
    // Bedrock: only the catalogue's foundation models, by ARN.
    const bedrock = roles.get('model')!.find((s) => asArray(s.Action).includes('bedrock:InvokeModel'))!;
    assert.ok(asArray(bedrock.Resource as string[]).length >= 10);
    assert.doesNotMatch(JSON.stringify(bedrock.Resource), /foundation-model\/\*/);
    // (5) A model served only through an inference profile: the profile, and the model in each of its regions.
    // (The statement may be split across policies when it is large: read them all.)
    const resolved = JSON.stringify(roles.get('model')!.filter((s) => asArray(s.Action).includes('bedrock:InvokeModel')).map((s) => s.Resource));
    assert.match(resolved, /:inference-profile\/us\.anthropic\.claude-3-7-sonnet-20250219-v1:0/);
    for (const region of ['us-east-1', 'us-east-2', 'us-west-2']) assert.ok(resolved.includes(`bedrock:${region}::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0`), region);
    assert.ok(!resolved.includes('bedrock:us-west-2::foundation-model/anthropic.claude-3-haiku'), 'a model without a profile: this region only');
  });
});

describe('services', () => {
  it('runs every role from one image with a health check and CPU autoscaling', () => {
    const tasks = resources(template, 'AWS::ECS::TaskDefinition');
    const images = new Set(tasks.map(([, t]) => JSON.stringify(t.Properties.ContainerDefinitions[0].Image)));
    assert.equal(images.size, 1);
    const roles = tasks.map(([, t]) => t.Properties.ContainerDefinitions[0].Environment.find((e: any) => ['SERVICE', 'WORKER'].includes(e.Name)));
    assert.deepEqual(roles.map((e) => `${e.Name}=${e.Value}`).sort(), ['SERVICE=admin', 'SERVICE=document', 'SERVICE=model', 'SERVICE=openai', 'SERVICE=prompt', 'SERVICE=vector', 'WORKER=document', 'WORKER=model', 'WORKER=vector']);
    for (const [id, t] of tasks) assert.ok(t.Properties.ContainerDefinitions[0].HealthCheck.Command.join(' ').includes('/healthz'), id);
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 9);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } }),
    });
    template.hasResourceProperties('AWS::ECS::Service', { DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }) });
  });

  it('routes each path prefix to its service behind internal load balancers', () => {
    const rules = resources(template, 'AWS::ElasticLoadBalancingV2::ListenerRule').filter(([, r]) => r.Properties.Actions[0].Type === 'forward').map(([, r]) => r.Properties.Conditions[0].PathPatternConfig.Values[0]);
    assert.deepEqual(rules.sort(), ['/admin/*', '/document/*', '/model/*', '/prompt/*', '/v1/*', '/vector/*']);
    for (const [, lb] of resources(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer')) assert.equal(lb.Properties.Scheme, 'internal');
  });
});

describe('the stack as a whole', () => {
  it('is the same on every synth (stable names, no random suffixes) and named from the prefix', () => {
    assert.deepEqual(synth().toJSON(), template.toJSON());
    const other = synth({ prefix: 'acme-ai', removalPolicy: 'destroy' });
    assert.match(JSON.stringify(other.toJSON()), /"acme-ai-apps"/);
    assert.doesNotMatch(JSON.stringify(other.toJSON()), /genai-foundations-/);
    // (2) A throwaway stack takes its log groups with it too.
    for (const [id, group] of resources(other, 'AWS::Logs::LogGroup')) assert.equal(group.DeletionPolicy, 'Delete', id);
  });

  it('tells the operator what they need', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    for (const name of ['ApiUrl', 'TokenUrl', 'AppUserPoolId', 'AdminUserPoolId', 'AdminClientId', 'AdminSignInUrl', 'AdminPortalUrl', 'AdminPasswordSecret', 'ClusterName', 'LogGroupPrefix']) assert.ok(outputs.includes(name), name);
    template.hasParameter('AdminEmail', { Type: 'String' });
  });
});

describe('a module added with one line', () => {
  it('gets its table, its queue and its own least-privilege roles from its declaration', () => {
    const t = synth({}, [...MODULES, widgetModule]);
    const names = (type: string, key: string) => resources(t, type).map(([, r]) => r.Properties[key]);
    assert.ok(names('AWS::DynamoDB::GlobalTable', 'TableName').includes('genai-foundations-widgets'));
    assert.ok(names('AWS::SQS::Queue', 'QueueName').includes('genai-foundations-widget-jobs'));
    assert.ok(names('AWS::SQS::Queue', 'QueueName').includes('genai-foundations-widget-jobs-dlq'));
    const roles = taskRolePolicies(t);
    const service = JSON.stringify(roles.get('widgets'));
    assert.match(service, /Tablewidgets/, 'the service role reaches its table');
    assert.doesNotMatch(service, /Tableprompts|Tablejobs/, 'and no other module\'s, nor kernel tables it did not ask for');
    assert.ok(actionsOf(roles.get('widgets')!).includes('sqs:SendMessage'));
    assert.ok(actionsOf(roles.get('widgetsworker')!).includes('sqs:ReceiveMessage'));
  });
});

// The failures a first deploy on a real account met (issue 11), each pinned in the template. (1),
// the task roles against what each process calls at start, is task-roles-start.test.ts.
describe('a first deploy that comes up and can be retried', () => {
  it('(2) keeps named resources on delete, but not those of a rolled-back first create', () => {
    const named: [string, string][] = [
      ['AWS::DynamoDB::GlobalTable', 'TableName'], ['AWS::SQS::Queue', 'QueueName'], ['AWS::Logs::LogGroup', 'LogGroupName'],
      ['AWS::SecretsManager::Secret', 'Name'], ['AWS::Cognito::UserPool', 'UserPoolName'],
    ];
    for (const [type, nameKey] of named) {
      for (const [id, resource] of resources(template, type)) {
        assert.equal(resource.DeletionPolicy, 'RetainExceptOnCreate', `${id} (${resource.Properties[nameKey]})`);
        assert.equal(resource.UpdateReplacePolicy, 'Retain', id);
      }
    }
    // Deletion protection would make the rollback of a failed create fail; it is turned on later by context.
    for (const [id, table] of resources(template, 'AWS::DynamoDB::GlobalTable')) assert.notEqual(table.Properties.Replicas[0].DeletionProtectionEnabled, true, id);
    for (const [id, pool] of resources(template, 'AWS::Cognito::UserPool')) assert.notEqual(pool.Properties.DeletionProtection, 'ACTIVE', id);
    // A deleted secret's name stays taken for its recovery window: this one has none of its own.
    for (const [id, secret] of resources(template, 'AWS::SecretsManager::Secret')) assert.equal(secret.Properties.Name, undefined, id);
  });

  it('(3) lets the VPC link reach the NLB: PrivateLink traffic is not held to the VPC-CIDR rule', () => {
    const nlbs = resources(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer').filter(([, lb]) => lb.Properties.Type === 'network');
    assert.equal(nlbs.length, 1);
    assert.equal(nlbs[0]![1].Properties.EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic, 'off');
    const [[nlbId]] = nlbs as [[string, Resource]];
    template.hasResourceProperties('AWS::ApiGateway::VpcLink', { TargetArns: [{ Ref: nlbId }] });
  });

  it('(4) has no cognito-idp interface endpoint (it does not serve pools with a domain) and reaches Cognito through NAT', () => {
    const services = resources(template, 'AWS::EC2::VPCEndpoint').map(([, e]) => JSON.stringify(e.Properties.ServiceName));
    assert.ok(services.length > 0);
    assert.ok(services.every((name) => !name.includes('cognito')), services.join(', '));
    assert.ok(resources(template, 'AWS::Cognito::UserPoolDomain').length > 0, 'the pools have domains');
    assert.ok(resources(template, 'AWS::EC2::NatGateway').length >= 1);
    assert.throws(() => buildApp(new App({ context: { natGateways: '0' } })), /natGateways must be 1 or 2/);
  });

  it('(6) answers every API Gateway response type with its own status and catalogue problem', () => {
    const [[, api]] = resources(template, 'AWS::ApiGateway::RestApi') as [[string, Resource]];
    const responses = api.Properties.Body['x-amazon-apigateway-gateway-responses'];
    // Every type AWS documents ("Gateway response types"): none may fall through to DEFAULT_4XX/5XX.
    const types = [
      'ACCESS_DENIED', 'API_CONFIGURATION_ERROR', 'AUTHORIZER_CONFIGURATION_ERROR', 'AUTHORIZER_FAILURE', 'BAD_REQUEST_BODY',
      'BAD_REQUEST_PARAMETERS', 'DEFAULT_4XX', 'DEFAULT_5XX', 'EXPIRED_TOKEN', 'INTEGRATION_FAILURE', 'INTEGRATION_TIMEOUT',
      'INVALID_API_KEY', 'INVALID_SIGNATURE', 'MISSING_AUTHENTICATION_TOKEN', 'QUOTA_EXCEEDED', 'REQUEST_TOO_LARGE',
      'RESOURCE_NOT_FOUND', 'THROTTLED', 'UNAUTHORIZED', 'UNSUPPORTED_MEDIA_TYPE', 'WAF_FILTERED',
    ];
    assert.deepEqual(Object.keys(responses).sort(), types);
    const problems = parse(readFileSync('openapi/_shared/problems.yaml', 'utf8')) as Record<string, { status: number }>;
    for (const [type, response] of Object.entries<any>(responses)) {
      const body = JSON.parse(response.responseTemplates['application/json']);
      assert.equal(response.statusCode, String(problems[body.code]!.status), `${type} answers ${body.code}'s status`);
      assert.equal(body.status, problems[body.code]!.status, type);
    }
    const statusOf = (type: string) => responses[type].statusCode;
    assert.deepEqual(
      ['WAF_FILTERED', 'INTEGRATION_TIMEOUT', 'INTEGRATION_FAILURE', 'THROTTLED', 'REQUEST_TOO_LARGE', 'ACCESS_DENIED', 'UNAUTHORIZED'].map(statusOf),
      ['403', '504', '502', '429', '413', '403', '401'],
    );
  });

  it('(7) health-checks the ALB behind the NLB on a path the ALB itself answers with 200', () => {
    const [[, group]] = resources(template, 'AWS::ElasticLoadBalancingV2::TargetGroup').filter(([, g]) => g.Properties.TargetType === 'alb') as [[string, Resource]];
    assert.equal(group.Properties.HealthCheckProtocol, 'HTTP');
    const path = group.Properties.HealthCheckPath;
    const rule = resources(template, 'AWS::ElasticLoadBalancingV2::ListenerRule').find(([, r]) => r.Properties.Conditions[0].PathPatternConfig?.Values.includes(path));
    assert.ok(rule, `an ALB rule answers ${path}`);
    assert.equal(rule[1].Properties.Actions[0].FixedResponseConfig.StatusCode, '200');
    assert.equal(group.Properties.Matcher?.HttpCode, '200');
  });

  it('(8) gives the admin service what it needs to sign administrators in through the admin pool', () => {
    const [[, task]] = resources(template, 'AWS::ECS::TaskDefinition').filter(([, t]) =>
      t.Properties.ContainerDefinitions[0].Environment.some((e: any) => e.Name === 'SERVICE' && e.Value === 'admin')) as [[string, Resource]];
    const env = Object.fromEntries(task.Properties.ContainerDefinitions[0].Environment.map((e: any) => [e.Name, e.Value]));
    const adminPool = resources(template, 'AWS::Cognito::UserPool').find(([, pool]) => pool.Properties.UserPoolName === 'genai-foundations-admins')![0];
    assert.deepEqual(env.COGNITO_ADMIN_POOL_ID, { Ref: adminPool });
    assert.ok(env.COGNITO_ADMIN_CLIENT_ID?.Ref, 'the admin portal client');
    assert.match(JSON.stringify(env.COGNITO_ADMIN_DOMAIN), /https:\/\//);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', { AllowedOAuthFlows: ['code'], AllowedOAuthScopes: Match.arrayWith(['openid', 'email']), GenerateSecret: false });
  });

  it('streams the routes that can answer with events (15 min cap) and buffers every other route (29 s)', () => {
    // /v1/chat/completions streams when the body says `stream: true`; one integration serves both.
    const streaming = new Set(['/model/invoke_stream', '/v1/chat/completions']);
    const [[, api]] = resources(template, 'AWS::ApiGateway::RestApi') as [[string, Resource]];
    for (const [path, item] of Object.entries<any>(api.Properties.Body.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const integration = op['x-amazon-apigateway-integration'];
        const streamed = streaming.has(path);
        assert.equal(integration.responseTransferMode, streamed ? 'STREAM' : undefined, `${method} ${path}`);
        assert.equal(integration.timeoutInMillis, streamed ? 900_000 : 29_000, `${method} ${path}`);
      }
    }
  });
});
