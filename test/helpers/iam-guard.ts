// An IAM policy check in front of the AWS emulators: the SDK's endpoints point here, each request
// is turned into the IAM actions and resource ARNs AWS would authorize it against, and it is
// refused with AccessDeniedException (as AWS would) unless the current statements allow all of
// them. Allowed DynamoDB and SQS calls go on to dynalite / local-aws-sqs (and AOSS control-plane
// calls to a stub, when given one); an allowed call to a service with no emulator here (Cognito,
// Bedrock) is answered with an error and recorded. Conditions are evaluated for the one key the
// platform's statements use, `aoss:collection` (StringLike / StringEquals): a request names its
// collections as AWS documents it; a request naming none fails the condition, as in IAM.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Account, ResolvedStatement } from '../../infra/test/task-roles.ts';

export interface GuardedCall {
  action: string;
  resource: string;
  /** Condition keys of the request (aoss:collection). */
  context?: Record<string, string[]>;
  allowed: boolean;
}

export interface IamGuard {
  /** AWS_ENDPOINT_URL_<SERVICE> for every service the platform calls. */
  env: Record<string, string>;
  /** The statements every following call is checked against. */
  use(statements: ResolvedStatement[]): void;
  /** Every call since the last `use`, allowed or not. */
  calls: GuardedCall[];
  close(): Promise<void>;
}

type Access = { action: string; resource: string; context?: Record<string, string[]> };

const glob = (pattern: string, flags = '') => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, flags);

/** Every value the request has for each key of the condition matches one of its patterns. */
function meets(condition: ResolvedStatement['Condition'], context: Record<string, string[]> = {}): boolean {
  return Object.entries(condition ?? {}).every(([operator, keys]) => {
    if (operator !== 'StringLike' && operator !== 'StringEquals') throw new Error(`iam-guard: condition operator ${operator} is not modelled`);
    return Object.entries(keys).every(([key, patterns]) => {
      const values = context[key] ?? [];
      const match = (value: string) => [patterns].flat().some((p) => (operator === 'StringLike' ? glob(p).test(value) : p === value));
      return values.length > 0 && values.every(match);
    });
  });
}

export function allows(statements: ResolvedStatement[], { action, resource, context }: Access): boolean {
  const matches = (s: ResolvedStatement) => s.Action.some((a) => glob(a, 'i').test(action)) && s.Resource.some((r) => glob(r).test(resource)) && meets(s.Condition, context);
  return !statements.some((s) => s.Effect === 'Deny' && matches(s)) && statements.some((s) => s.Effect === 'Allow' && matches(s));
}

/** What one request asks of IAM, per service (JSON protocols name the operation in X-Amz-Target). */
function accessOf(service: string, req: IncomingMessage, body: any, { region, accountId }: Account): Access[] {
  const arn = (svc: string, resource: string) => `arn:aws:${svc}:${region}:${accountId}:${resource}`;
  const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
  switch (service) {
    case 'dynamodb': {
      const table = (name: string, index?: string) => arn('dynamodb', `table/${name}${index ? `/index/${index}` : ''}`);
      if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
        return Object.keys(body.RequestItems).map((name) => ({ action: `dynamodb:${operation}`, resource: table(name) }));
      }
      if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
        const actions: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };
        return body.TransactItems.flatMap((item: Record<string, { TableName: string }>) =>
          Object.entries(item).map(([kind, op]) => ({ action: `dynamodb:${actions[kind]}`, resource: table(op.TableName) })));
      }
      return [{ action: `dynamodb:${operation}`, resource: table(body.TableName, body.IndexName) }];
    }
    case 'sqs': {
      const name = body.QueueName ?? new URL(body.QueueUrl).pathname.split('/').pop();
      return [{ action: `sqs:${operation}`, resource: arn('sqs', name) }];
    }
    case 'cognito-idp':
      return [{ action: `cognito-idp:${operation}`, resource: arn('cognito-idp', `userpool/${body.UserPoolId}`) }];
    case 'bedrock-runtime': {
      // /model/<id>/invoke, /invoke-with-response-stream, /converse, /converse-stream
      const [, , id = '', verb = ''] = (req.url ?? '').split('?')[0]!.split('/').map(decodeURIComponent);
      const action = verb.endsWith('stream') ? 'bedrock:InvokeModelWithResponseStream' : 'bedrock:InvokeModel';
      const resource = id.startsWith('arn:') ? id : /^(us|eu|apac|global|jp|au|ca|us-gov)\./.test(id) ? arn('bedrock', `inference-profile/${id}`) : `arn:aws:bedrock:${region}::foundation-model/${id}`;
      return [{ action, resource }];
    }
    case 'aoss': {
      const resource = operation === 'DeleteCollection' ? arn('aoss', `collection/${body.id}`) : '*';
      return [{ action: `aoss:${operation}`, resource, context: { 'aoss:collection': aossCollections(operation, body) } }];
    }
    default:
      return [{ action: `${service}:Unknown`, resource: '*' }];
  }
}

/**
 * The collections an AOSS control-plane request concerns (its `aoss:collection` values): the names
 * it gives, the collections a policy's rules name, a policy's collection by its name (`<collection>-enc|net|dat`
 * as collections.ts names them), a collection id as the AOSS stub makes them (`id-<name>`).
 */
function aossCollections(operation: string, body: any): string[] {
  switch (operation) {
    case 'CreateCollection': return [body.name];
    case 'BatchGetCollection': return body.names ?? [];
    case 'DeleteCollection': return [String(body.id).replace(/^id-/, '')];
    case 'CreateSecurityPolicy': case 'CreateAccessPolicy': {
      const rules = [JSON.parse(body.policy)].flat().flatMap((p: { Rules: { Resource: string[] }[] }) => p.Rules.flatMap((r) => r.Resource));
      return [...new Set(rules.map((r: string) => r.split('/')[1]!))];
    }
    case 'DeleteSecurityPolicy': case 'DeleteAccessPolicy': return [String(body.name).replace(/-(enc|net|dat)$/, '')];
    default: return [];
  }
}

const read = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

const refuse = (res: ServerResponse, status: number, type: string, message: string) => {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': type });
  res.end(JSON.stringify({ __type: type, message }));
};

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

/** `upstreams`: the emulator behind each service that has one (e.g. `{ dynamodb: 'http://127.0.0.1:1234' }`). */
export async function startIamGuard(upstreams: Record<string, string>, account: Account): Promise<IamGuard> {
  let statements: ResolvedStatement[] = [];
  const guard: IamGuard = { env: {}, calls: [], use: (s) => { statements = s; guard.calls = []; }, close: async () => {} };
  const servers: Server[] = [];
  const endpoints: Record<string, string> = {
    dynamodb: 'DYNAMODB', sqs: 'SQS', 'cognito-idp': 'COGNITO_IDENTITY_PROVIDER', 'bedrock-runtime': 'BEDROCK_RUNTIME', aoss: 'OPENSEARCHSERVERLESS',
  };
  for (const [service, variable] of Object.entries(endpoints)) {
    const server = createServer(async (req, res) => {
      const raw = await read(req);
      let body: any = {};
      try { body = raw.length ? JSON.parse(raw.toString('utf8')) : {}; } catch { /* not JSON: only the path matters */ }
      const access = accessOf(service, req, body, account);
      const verdicts = access.map((a) => ({ ...a, allowed: allows(statements, a) }));
      guard.calls.push(...verdicts);
      const denied = verdicts.find((v) => !v.allowed);
      if (denied) return refuse(res, 400, 'AccessDeniedException', `not authorized to perform: ${denied.action} on resource: ${denied.resource}`);
      const upstream = upstreams[service];
      if (!upstream) return refuse(res, 501, 'NotEmulatedException', `${service} has no emulator in this test`);
      const forward = request(new URL(req.url ?? '/', upstream), { method: req.method, headers: req.headers }, async (answer) => {
        // Addresses in answers (an SQS queue URL) name the guard, so the SDK's next call comes here too.
        const text = (await read(answer)).toString('utf8').replaceAll(new URL(upstream).host, req.headers.host ?? '');
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
      forward.on('error', (error) => refuse(res, 502, 'UpstreamError', error.message));
      forward.end(raw);
    });
    servers.push(server);
    guard.env[`AWS_ENDPOINT_URL_${variable}`] = `http://127.0.0.1:${await listen(server)}`;
  }
  guard.close = async () => {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  };
  return guard;
}
