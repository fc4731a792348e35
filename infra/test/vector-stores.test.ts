// The vector service on AWS, synthesized with the vector module in the list: the AOSS VPC endpoint,
// the aoss:vector-stores grant (only the vector roles, only collections under the AOSS prefix),
// the settings its tasks start with, its tables, queue with dead letters and load-balancer route.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Template } from 'aws-cdk-lib/assertions';
import { MODULES } from '../../handlers/modules.ts';
import { vectorModule } from '../../handlers/vector/module.ts';
import { PREFIX_PATTERN } from '../../handlers/vector/index/opensearch/collections.ts';
import { aossPrefix } from '../lib/vector-stores.ts';
import { synth } from './synth.ts';
import { taskRoles, type TaskRole } from './task-roles.ts';

type Resource = { Type: string; Properties: Record<string, any> };
const resources = (t: Template, type: string) => Object.entries(t.findResources(type)) as [string, Resource][];
const account = { region: 'eu-west-1', accountId: '123456789012' };
const modules = MODULES.some((m) => m.name === 'vector') ? MODULES : [...MODULES, vectorModule];

let template: Template;
let tasks: TaskRole[];
before(() => {
  template = synth({ region: account.region }, modules).template;
  tasks = taskRoles(template.toJSON(), account);
});
const task = (mode: string) => tasks.find((t) => t.mode === mode)!;
const aossStatements = (t: TaskRole) => t.statements.filter((s) => s.Action.some((a) => a.startsWith('aoss:')));

describe('vector stores on OpenSearch Serverless', () => {
  it('derives a collection prefix AOSS accepts from the platform prefix, stable and distinct', () => {
    assert.equal(aossPrefix('gaf'), 'gaf');
    assert.match(aossPrefix('genai-foundations'), /^genai-[0-9a-f]{4}$/);
    assert.equal(aossPrefix('genai-foundations'), aossPrefix('genai-foundations'));
    assert.notEqual(aossPrefix('genai-foundations'), aossPrefix('genai-foundations-b'));
    for (const prefix of ['genai-foundations', 'a-b-c-d-e-f-g-h-i-j', 'abcdefghijklmnopqrst']) assert.match(aossPrefix(prefix), PREFIX_PATTERN);
  });

  it('creates one AOSS interface endpoint in the private subnets, reachable on 443 from the VPC only', () => {
    const endpoints = resources(template, 'AWS::OpenSearchServerless::VpcEndpoint');
    assert.equal(endpoints.length, 1);
    const endpoint = endpoints[0]![1];
    assert.equal(endpoint.Properties.Name, `${aossPrefix('genai-foundations')}-vpce`);
    assert.equal(endpoint.Properties.SubnetIds.length, 2);
    const [groupId] = endpoint.Properties.SecurityGroupIds[0]['Fn::GetAtt'];
    const group = template.toJSON().Resources[groupId].Properties;
    assert.deepEqual(group.SecurityGroupIngress.map((r: any) => [r.CidrIp, r.FromPort, r.ToPort]), [['10.40.0.0/16', 443, 443]]);
  });

  it('grants aoss actions to the vector service and worker roles only, on collections named with the prefix', () => {
    const withAoss = tasks.filter((t) => aossStatements(t).length > 0).map((t) => t.mode).sort();
    assert.deepEqual(withAoss, ['SERVICE=vector', 'WORKER=vector']);
    const raw = resources(template, 'AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement as any[]).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('aoss:')));
    for (const statement of raw) {
      if (statement.Sid === 'VectorStoreTags') continue;
      assert.deepEqual(statement.Condition, { StringLike: { 'aoss:collection': `${aossPrefix('genai-foundations')}-*` } }, statement.Sid);
    }
    for (const t of [task('SERVICE=vector'), task('WORKER=vector')]) {
      const actions = aossStatements(t).flatMap((s) => s.Action).sort();
      assert.deepEqual(actions, [
        'aoss:APIAccessAll', 'aoss:BatchGetCollection', 'aoss:CreateAccessPolicy', 'aoss:CreateCollection', 'aoss:CreateSecurityPolicy',
        'aoss:DeleteAccessPolicy', 'aoss:DeleteCollection', 'aoss:DeleteSecurityPolicy', 'aoss:TagResource',
      ]);
      const dataPlane = aossStatements(t).find((s) => s.Action.includes('aoss:APIAccessAll'))!;
      assert.deepEqual(dataPlane.Resource, ['arn:aws:aoss:eu-west-1:123456789012:collection/*']);
      assert.ok(!aossStatements(t).some((s) => s.Action.some((a) => a === 'aoss:*')), 'no aoss:* wildcard');
    }
  });

  it('starts the vector tasks on OpenSearch Serverless, with the endpoint and both vector roles as data principals', () => {
    for (const t of [task('SERVICE=vector'), task('WORKER=vector')]) {
      assert.equal(t.env.VECTOR_BACKEND, 'opensearchserverless');
      assert.equal(t.env.VECTOR_AOSS_PREFIX, aossPrefix('genai-foundations'));
      assert.equal(t.env.VECTOR_EMBEDDING_MODEL, 'TITAN_TEXT_EMBED_V2');
      assert.equal(t.env.AWS_REGION, account.region);
      assert.match(t.env.VECTOR_AOSS_VPC_ENDPOINT_ID!, /vectorstoresendpoint/i);
      const principals = t.env.VECTOR_AOSS_PRINCIPALS!.split(',');
      assert.equal(principals.length, 2);
      for (const p of principals) assert.match(p, /^arn:aws:iam:.*vector.*taskrole/i);
    }
    const roleIds = resources(template, 'AWS::ECS::TaskDefinition')
      .filter(([, d]) => d.Properties.ContainerDefinitions[0].Environment.some((e: any) => e.Name === 'SERVICE' && e.Value === 'vector' || e.Name === 'WORKER' && e.Value === 'vector'))
      .map(([, d]) => d.Properties.TaskRoleArn['Fn::GetAtt'][0]).sort();
    const [vectorService] = resources(template, 'AWS::ECS::TaskDefinition').filter(([, d]) => d.Properties.ContainerDefinitions[0].Environment.some((e: any) => e.Name === 'SERVICE' && e.Value === 'vector'));
    const principals = vectorService![1].Properties.ContainerDefinitions[0].Environment.find((e: any) => e.Name === 'VECTOR_AOSS_PRINCIPALS').Value;
    assert.deepEqual(JSON.stringify(principals).match(/ServicesTaskvector\w*TaskRole\w*/g)!.sort(), roleIds);
  });

  it('creates the vector tables, its queue with a dead-letter queue, and routes /vector/* to its service', () => {
    const tables = resources(template, 'AWS::DynamoDB::GlobalTable').map(([, t]) => t.Properties.TableName);
    for (const name of ['vector-catalog', 'vector-generations']) assert.ok(tables.includes(`genai-foundations-${name}`), name);
    const queues = resources(template, 'AWS::SQS::Queue');
    const main = queues.find(([, q]) => q.Properties.QueueName === 'genai-foundations-vector-vectorisation')!;
    assert.ok(main[1].Properties.RedrivePolicy.maxReceiveCount > 0);
    assert.ok(queues.some(([, q]) => q.Properties.QueueName === 'genai-foundations-vector-vectorisation-dlq'));
    const paths = resources(template, 'AWS::ElasticLoadBalancingV2::ListenerRule').flatMap(([, r]) => r.Properties.Conditions[0].PathPatternConfig?.Values ?? []);
    assert.ok(paths.includes('/vector/*'));
  });
});

describe('a platform without vector stores', () => {
  it('has no AOSS endpoint, no aoss grant and no vector settings', () => {
    const without = synth({ region: account.region }, modules.filter((m) => m.name !== 'vector')).template;
    assert.equal(resources(without, 'AWS::OpenSearchServerless::VpcEndpoint').length, 0);
    const roles = taskRoles(without.toJSON(), account);
    assert.ok(roles.every((t) => aossStatements(t).length === 0 && t.env.VECTOR_BACKEND === undefined));
  });
});
