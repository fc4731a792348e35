// Synthesises the CDK app offline (no account, no Docker) and checks the properties that keep the
// deployment safe. cdk-nag's AwsSolutions pack runs inside the synth: any finding not acknowledged
// in code fails it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../bin/app.ts';
import { platformTables } from '../../handlers/platform/store/dynamodb/tables.ts';
import { MODULES } from '../../handlers/modules.ts';
import type { ModuleDeclaration } from '../../handlers/platform/module.ts';
import { widgetModule } from '../../test/fixtures/widget-module/module.ts';

type Resource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

const outdirs: string[] = [];
function synth(context: Record<string, string> = {}, modules?: ModuleDeclaration[]): Template {
  const outdir = mkdtempSync(join(tmpdir(), 'gaf-cdk-'));
  outdirs.push(outdir);
  const { app, stack } = buildApp(new App({ outdir, context }), modules);
  try {
    app.synth();
  } catch (error) {
    const report = join(outdir, 'validation-report.json');
    const violations = existsSync(report)
      ? JSON.parse(readFileSync(report, 'utf8')).pluginReports.flatMap((r: any) => r.violations.map((v: any) => `${v.ruleName} ${v.violatingResources?.[0]?.resourceLogicalId ?? ''} ${v.violatingConstructs?.map((c: any) => c.constructPath).join(', ') ?? ''}`))
      : [];
    assert.fail(`synth failed: ${(error as Error).message}\n${violations.join('\n')}`);
  }
  return Template.fromStack(stack);
}

const asArray = <T,>(x: T | T[]) => (Array.isArray(x) ? x : [x]);
const resources = (t: Template, type: string) => Object.entries(t.findResources(type)) as [string, Resource][];
const taskRolePolicies = (t: Template) => {
  const byRole = new Map<string, Statement[]>();
  for (const [, policy] of resources(t, 'AWS::IAM::Policy')) {
    for (const role of policy.Properties.Roles as { Ref: string }[]) {
      const match = /^ServicesTask(.+?)TaskRole/.exec(role.Ref);
      if (match) byRole.set(match[1]!, [...(byRole.get(match[1]!) ?? []), ...policy.Properties.PolicyDocument.Statement]);
    }
  }
  return byRole;
};
const actionsOf = (statements: Statement[]) => statements.flatMap((s) => asArray(s.Action));

let template: Template;
before(() => { template = synth(); });
after(() => outdirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('API Gateway', () => {
  it('puts the Cognito authorizer, with the scope, on every application route and on no other', () => {
    const [[, api]] = resources(template, 'AWS::ApiGateway::RestApi') as [[string, Resource]];
    const body = api.Properties.Body;
    const expected = new Map<string, string[]>();
    for (const service of ['model', 'prompt', 'admin', 'openai']) {
      const spec = JSON.parse(readFileSync(`generated/openapi/${service}.json`, 'utf8'));
      for (const [path, item] of Object.entries<any>(spec.paths)) {
        for (const [method, op] of Object.entries<any>(item)) {
          const scopes = (op.security ?? spec.security ?? []).find((req: object) => 'AppToken' in req)?.AppToken;
          expected.set(`${method} ${path}`, scopes ?? []);
        }
      }
    }
    const deployed = new Map<string, string[]>();
    for (const [path, item] of Object.entries<any>(body.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        deployed.set(`${method} ${path}`, op.security.find((req: object) => 'CognitoAppAuthorizer' in req)?.CognitoAppAuthorizer ?? []);
      }
    }
    assert.deepEqual([...deployed.keys()].sort(), [...expected.keys()].sort(), 'every operation of the deployed services is routed');
    for (const [route, scopes] of expected) assert.deepEqual(deployed.get(route), scopes, route);
    for (const [route, scopes] of deployed) {
      if (/ \/(model|prompt)\//.test(route)) assert.deepEqual(scopes, ['genaifoundations/read'], `${route} is an application route`);
    }
    const authorizer = body.components.securitySchemes.CognitoAppAuthorizer['x-amazon-apigateway-authorizer'];
    const appPool = resources(template, 'AWS::Cognito::UserPool').find(([, pool]) => pool.Properties.UserPoolName === 'genai-foundations-apps')!;
    assert.deepEqual(authorizer.providerARNs, [{ 'Fn::GetAtt': [appPool[0], 'Arn'] }]);
    assert.doesNotMatch(JSON.stringify(body), /\$\{CognitoUserPoolArn\}/, 'no placeholder left');
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
      assert.equal(replica.DeletionProtectionEnabled, true, `${id} deletion protection`);
      assert.equal(table.DeletionPolicy, 'Retain', `${id} is kept when the stack goes`);
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
});

describe('IAM', () => {
  it('gives each service its own task role', () => {
    const roles = resources(template, 'AWS::ECS::TaskDefinition').map(([, t]) => JSON.stringify(t.Properties.TaskRoleArn));
    assert.equal(new Set(roles).size, 5);
  });

  it('uses no wildcard actions and never allows a table Scan', () => {
    for (const [id, policy] of resources(template, 'AWS::IAM::Policy')) {
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
    assert.deepEqual([...roles.keys()].sort(), ['admin', 'model', 'modelworker', 'openai', 'prompt']);
    // Only the admin service manages Cognito app clients; only the model engine's roles call Bedrock
    // (openai runs the engine in-process, through the models capability).
    for (const role of ['prompt', 'model', 'modelworker', 'openai']) assert.ok(![...actions(role)].some((a) => a.startsWith('cognito-idp:')), role);
    for (const role of ['prompt', 'admin']) assert.ok(!actions(role).has('bedrock:InvokeModel'), role);
    assert.ok(['model', 'modelworker', 'openai'].every((role) => actions(role).has('bedrock:InvokeModel')));
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
    // Bedrock: only the catalogue's foundation models, by ARN.
    const bedrock = roles.get('model')!.find((s) => asArray(s.Action).includes('bedrock:InvokeModel'))!;
    assert.ok(asArray(bedrock.Resource as string[]).length >= 10);
    assert.doesNotMatch(JSON.stringify(bedrock.Resource), /foundation-model\/\*/);
  });
});

describe('services', () => {
  it('runs every role from one image with a health check and CPU autoscaling', () => {
    const tasks = resources(template, 'AWS::ECS::TaskDefinition');
    const images = new Set(tasks.map(([, t]) => JSON.stringify(t.Properties.ContainerDefinitions[0].Image)));
    assert.equal(images.size, 1);
    const roles = tasks.map(([, t]) => t.Properties.ContainerDefinitions[0].Environment.find((e: any) => ['SERVICE', 'WORKER'].includes(e.Name)));
    assert.deepEqual(roles.map((e) => `${e.Name}=${e.Value}`).sort(), ['SERVICE=admin', 'SERVICE=model', 'SERVICE=openai', 'SERVICE=prompt', 'WORKER=model']);
    for (const [id, t] of tasks) assert.ok(t.Properties.ContainerDefinitions[0].HealthCheck.Command.join(' ').includes('/healthz'), id);
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 5);
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } }),
    });
    template.hasResourceProperties('AWS::ECS::Service', { DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true } }) });
  });

  it('routes each path prefix to its service behind internal load balancers', () => {
    const rules = resources(template, 'AWS::ElasticLoadBalancingV2::ListenerRule').map(([, r]) => r.Properties.Conditions[0].PathPatternConfig.Values[0]);
    assert.deepEqual(rules.sort(), ['/admin/*', '/model/*', '/prompt/*', '/v1/*']);
    for (const [, lb] of resources(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer')) assert.equal(lb.Properties.Scheme, 'internal');
  });
});

describe('the stack as a whole', () => {
  it('is the same on every synth (stable names, no random suffixes) and named from the prefix', () => {
    assert.deepEqual(synth().toJSON(), template.toJSON());
    const other = JSON.stringify(synth({ prefix: 'acme-ai', removalPolicy: 'destroy' }).toJSON());
    assert.match(other, /"acme-ai-apps"/);
    assert.doesNotMatch(other, /genai-foundations-/);
  });

  it('tells the operator what they need', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    for (const name of ['ApiUrl', 'TokenUrl', 'AppUserPoolId', 'AdminUserPoolId', 'AdminClientId', 'AdminSignInUrl', 'AdminPortalUrl']) assert.ok(outputs.includes(name), name);
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
