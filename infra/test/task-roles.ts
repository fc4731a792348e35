// Reads, from a synthesized template, what each ECS task would run with: its container's
// environment (SERVICE / WORKER and the adapters' settings) and its task role's IAM statements,
// with every CloudFormation reference resolved to the name or ARN it would have on an account.
type Json = any;

export interface ResolvedStatement {
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
  /** e.g. { StringLike: { 'aoss:collection': 'gaf-*' } } (values are literals in the platform's statements). */
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface TaskRole {
  /** `SERVICE=prompt`, `WORKER=model`: what the container runs. */
  mode: string;
  /** The container's environment; secrets (injected by ECS from Secrets Manager) are listed in `secrets`. */
  env: Record<string, string>;
  secrets: string[];
  /** The path its container health check requests. */
  healthPath: string;
  statements: ResolvedStatement[];
}

export interface Account {
  region: string;
  accountId: string;
}

const asArray = <T,>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

/** A stand-in user pool id in Cognito's format (`<region>_<id>`), stable per logical id. */
const fakePoolId = (region: string, logicalId: string) => `${region}_${logicalId.replace(/[^0-9A-Za-z]/g, '').slice(-12)}`;

function resolver(template: Json, { region, accountId }: Account) {
  const resources: Record<string, { Type: string; Properties: Json }> = template.Resources;
  const pseudo: Record<string, string> = { 'AWS::Partition': 'aws', 'AWS::Region': region, 'AWS::AccountId': accountId, 'AWS::URLSuffix': 'amazonaws.com', 'AWS::StackName': 'stack' };
  const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${accountId}:${resource}`;

  const ref = (id: string): string => {
    if (pseudo[id]) return pseudo[id]!;
    const r = resources[id];
    if (!r) throw new Error(`Ref to unknown ${id}`);
    switch (r.Type) {
      case 'AWS::DynamoDB::GlobalTable': case 'AWS::DynamoDB::Table': return r.Properties.TableName;
      case 'AWS::SQS::Queue': return `https://sqs.${region}.amazonaws.com/${accountId}/${r.Properties.QueueName}`;
      case 'AWS::Cognito::UserPool': return fakePoolId(region, id);
      default: return id.toLowerCase();
    }
  };
  const getAtt = (id: string, attribute: string): string => {
    const r = resources[id];
    if (!r) throw new Error(`GetAtt of unknown ${id}`);
    if (attribute !== 'Arn') return `${id}.${attribute}`.toLowerCase();
    switch (r.Type) {
      case 'AWS::DynamoDB::GlobalTable': case 'AWS::DynamoDB::Table': return arn('dynamodb', `table/${r.Properties.TableName}`);
      case 'AWS::SQS::Queue': return arn('sqs', r.Properties.QueueName);
      case 'AWS::Cognito::UserPool': return arn('cognito-idp', `userpool/${fakePoolId(region, id)}`);
      case 'AWS::SecretsManager::Secret': return arn('secretsmanager', `secret:${r.Properties.Name ?? id}`);
      default: return arn(r.Type.split('::')[1]!.toLowerCase(), id);
    }
  };
  const resolve = (node: Json): string => {
    if (typeof node === 'string') return node;
    if (typeof node === 'number') return String(node);
    if (node?.Ref) return ref(node.Ref);
    if (node?.['Fn::GetAtt']) return getAtt(node['Fn::GetAtt'][0], node['Fn::GetAtt'][1]);
    if (node?.['Fn::Join']) return (node['Fn::Join'][1] as Json[]).map(resolve).join(node['Fn::Join'][0]);
    if (node?.['Fn::Select']) return resolveList(node['Fn::Select'][1])[Number(node['Fn::Select'][0])]!;
    throw new Error(`cannot resolve ${JSON.stringify(node)}`);
  };
  const resolveList = (node: Json): string[] => (node?.['Fn::Split'] ? resolve(node['Fn::Split'][1]).split(node['Fn::Split'][0]) : asArray(node).map(resolve));
  return { resolve };
}

/** Every task definition of the template, with what its container runs and may do. */
export function taskRoles(template: Json, account: Account): TaskRole[] {
  const { resolve } = resolver(template, account);
  const resources: [string, { Type: string; Properties: Json }][] = Object.entries(template.Resources);
  const statementsOf = (roleId: string): ResolvedStatement[] => {
    const role = template.Resources[roleId];
    if (role.Properties.ManagedPolicyArns?.length) throw new Error(`${roleId} has managed policies: not modelled here`);
    const documents = [
      ...(role.Properties.Policies ?? []).map((p: Json) => p.PolicyDocument),
      ...resources
        // Inline policies, and the managed "overflow" policies CDK adds when one grows past IAM's size limit.
        .filter(([, r]) => ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(r.Type) && r.Properties.Roles?.some((x: Json) => x.Ref === roleId))
        .map(([, r]) => r.Properties.PolicyDocument),
    ];
    return documents.flatMap((doc) => doc.Statement).map((s: Json) => ({
      Effect: s.Effect,
      Action: asArray(s.Action),
      Resource: asArray(s.Resource).map(resolve),
      ...(s.Condition && { Condition: s.Condition }),
    }));
  };
  return resources
    .filter(([, r]) => r.Type === 'AWS::ECS::TaskDefinition')
    .map(([id, r]) => {
      const container = r.Properties.ContainerDefinitions[0];
      const env = Object.fromEntries((container.Environment ?? []).map((e: Json) => [e.Name, resolve(e.Value)]));
      const mode = ['SERVICE', 'WORKER'].filter((k) => env[k]).map((k) => `${k}=${env[k]}`).join(' ');
      const roleId = r.Properties.TaskRoleArn?.['Fn::GetAtt']?.[0];
      if (!roleId) throw new Error(`${id} has no task role of its own`);
      const healthPath = /127\.0\.0\.1:\d+(\/[^'"]*)/.exec(container.HealthCheck.Command.join(' '))?.[1];
      if (!healthPath) throw new Error(`${id}: no HTTP health check path`);
      return { mode, env, secrets: (container.Secrets ?? []).map((s: Json) => s.Name), healthPath, statements: statementsOf(roleId) };
    });
}
