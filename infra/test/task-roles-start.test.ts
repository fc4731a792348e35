// Would the deployed containers start with the permissions the stack gives them? Each ECS task
// of the synthesized template (every module's service and worker, so a new module is covered
// with no change here) is started as its container would be — its environment, STORE=dynamodb,
// QUEUE=sqs, IDENTITY=cognito — against DynamoDB and SQS emulators behind an IAM check that
// refuses every call its task role's statements do not allow. Each must start, answer its health
// check, and (a worker) poll its queue, with no call refused. The vector roles then run a store's
// whole lifecycle on OpenSearch Serverless (control plane: a stub behind the same IAM check;
// data plane: the loopback fake) and are refused a collection outside their prefix.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { synth } from './synth.ts';
import { taskRoles, type TaskRole } from './task-roles.ts';
import { startIamGuard, type IamGuard } from '../../test/helpers/iam-guard.ts';
import { startLocalAws, type LocalAws } from '../../test/helpers/aws-local.ts';
import { loadConfig } from '../../handlers/platform/config.ts';
import { createLogger } from '../../handlers/platform/logger.ts';
import { buildPlatform } from '../../handlers/platform-app.ts';
import { MODULES } from '../../handlers/modules.ts';
import { OpenSearchServerlessClient } from '@aws-sdk/client-opensearchserverless';
import { readVectorConfig } from '../../handlers/vector/config.ts';
import { createOpenSearchBackend, type OpenSearchServerlessConfig } from '../../handlers/vector/backends/opensearch-backend.ts';
import { StoreCollections } from '../../handlers/vector/index/opensearch/collections.ts';
import { inMemoryLiveGenerations } from '../../handlers/vector/index/opensearch/live-generations.ts';
import { startFakeOpenSearch, type FakeOpenSearch } from '../../test/vector/fake-opensearch.ts';
import { startAossControlStub, type AossControlStub } from '../../test/helpers/aoss-control-stub.ts';

const account = { region: 'us-east-1', accountId: '123456789012' };
const { template } = synth({ region: account.region });
const tasks = taskRoles(template.toJSON(), account);

let aws: LocalAws;
let guard: IamGuard;
let dataDir: string;
let openSearch: FakeOpenSearch;
let aossControl: AossControlStub;

before(async () => {
  aws = await startLocalAws();
  const prefix = tasks[0]!.env.DYNAMODB_TABLE_PREFIX!;
  await aws.createTables(prefix);
  await aws.createQueues(tasks[0]!.env.SQS_QUEUE_PREFIX!);
  openSearch = await startFakeOpenSearch();
  aossControl = await startAossControlStub(openSearch.url);
  guard = await startIamGuard({ dynamodb: aws.env.AWS_ENDPOINT_URL_DYNAMODB!, sqs: aws.env.AWS_ENDPOINT_URL_SQS!, aoss: aossControl.url }, account);
  Object.assign(process.env, guard.env); // the SDK clients the platform makes find their endpoints here
  dataDir = mkdtempSync(join(tmpdir(), 'gaf-roles-'));
});
after(async () => {
  await guard.close();
  await aws.close();
  await aossControl.close();
  await openSearch.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The container's environment, plus what ECS and the image add (the secrets' values, DATA_DIR); no long polls. */
function containerEnv(task: TaskRole): Record<string, string> {
  const secrets = Object.fromEntries(task.secrets.map((name) => [name, `secret-value-of-${name}`]));
  return { ...task.env, ...secrets, DATA_DIR: dataDir, SQS_WAIT_SECONDS: '0', LOG_LEVEL: 'silent' };
}

describe('every task starts with only its task role', () => {
  it('covers every role the modules declare', () => {
    const declared = MODULES.flatMap((m) => [
      ...(m.aws?.service ? [`SERVICE=${m.name}`] : []),
      ...(m.worker && m.aws?.worker ? [`WORKER=${m.name}`] : []),
    ]);
    assert.deepEqual(tasks.map((t) => t.mode).sort(), declared.sort());
    assert.ok(declared.length >= 4);
    for (const task of tasks) {
      assert.equal(task.env.STORE, 'dynamodb', task.mode);
      assert.equal(task.env.QUEUE, 'sqs', task.mode);
      assert.equal(task.env.IDENTITY, 'cognito', task.mode);
    }
  });

  it('would stop a task whose role lacks what its start needs (the admin service without its admin table)', async () => {
    const admin = tasks.find((t) => t.mode === 'SERVICE=admin')!;
    guard.use(admin.statements.filter((s) => !s.Resource.some((r) => r.endsWith('-admin'))));
    await assert.rejects(buildPlatform(loadConfig(containerEnv(admin)), createLogger('silent')), { name: 'AccessDeniedException' });
    assert.ok(guard.calls.some((c) => !c.allowed && c.resource.endsWith('table/genai-foundations-admin')));
  });

  for (const task of tasks) {
    it(`${task.mode} starts, answers ${task.healthPath} and makes no call its role refuses`, async () => {
      guard.use(task.statements);
      const platform = await buildPlatform(loadConfig(containerEnv(task)), createLogger('silent'));
      const server: Server = createServer(platform.handler);
      try {
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${task.healthPath}`);
        assert.equal(res.status, 200);
        // A worker's first act is polling its queues: wait for it, so its calls are checked too.
        const polls = task.statements.some((s) => s.Action.includes('sqs:ReceiveMessage'));
        for (let waited = 0; polls && !guard.calls.some((c) => c.action === 'sqs:ReceiveMessage'); waited += 50) {
          assert.ok(waited < 10_000, 'the worker polls its queue');
          await sleep(50);
        }
      } finally {
        server.close();
        await platform.close();
      }
      assert.deepEqual(guard.calls.filter((c) => !c.allowed), [], 'calls refused by the task role');
    });
  }
});

describe('the vector roles on OpenSearch Serverless', () => {
  for (const mode of ['SERVICE=vector', 'WORKER=vector']) {
    it(`${mode} provisions a store's collection, serves an index in it and removes it, with no call refused`, async () => {
      const task = tasks.find((t) => t.mode === mode)!;
      guard.use(task.statements);
      const config = readVectorConfig(containerEnv(task)).backend as OpenSearchServerlessConfig;
      const storeId = `store-${mode.length}`;
      const backend = createOpenSearchBackend(config, { catalog: { locateIndex: async () => ({ appId: 'app-1', storeId }) }, live: inMemoryLiveGenerations() });
      try {
        const store = { appId: 'app-1', storeId, storeName: 'kb', storeType: 'opensearchserverless', backend: 'opensearchserverless' as const, backendName: backend.backendNameOf(storeId), description: '', tags: [], createdAt: new Date().toISOString() };
        await backend.provisionStore(store);
        assert.equal(await backend.status(store), 'ACTIVE');
        await backend.index.createIndex({ indexId: `ix-${mode.length}`, dimension: 4, space: 'cosine', embeddingModel: 'm' });
        await backend.removeStore(store);
      } finally {
        await backend.close();
      }
      const operations = new Set(guard.calls.map((c) => c.action));
      for (const action of ['aoss:CreateSecurityPolicy', 'aoss:CreateAccessPolicy', 'aoss:CreateCollection', 'aoss:BatchGetCollection', 'aoss:DeleteCollection', 'aoss:DeleteSecurityPolicy', 'aoss:DeleteAccessPolicy']) {
        assert.ok(operations.has(action), action);
      }
      assert.deepEqual(guard.calls.filter((c) => !c.allowed), [], 'calls refused by the task role');
      assert.ok(openSearch.indexes.has(`ix-${mode.length}`), 'the data plane was reached at the collection endpoint');
    });
  }

  it('refuses the vector service a collection outside its prefix', async () => {
    const task = tasks.find((t) => t.mode === 'SERVICE=vector')!;
    guard.use(task.statements);
    const config = readVectorConfig(containerEnv(task)).backend as OpenSearchServerlessConfig;
    const client = new OpenSearchServerlessClient({ region: config.region });
    try {
      await assert.rejects(new StoreCollections(client, { ...config, prefix: 'other' }).create('store-x'), { name: 'AccessDeniedException' });
    } finally {
      client.destroy();
    }
    assert.ok(guard.calls.some((c) => !c.allowed && c.action === 'aoss:CreateSecurityPolicy' && c.context?.['aoss:collection']?.[0]?.startsWith('other-')));
  });
});
