import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createDynamo, type Dynamo } from '../../handlers/platform/store/dynamodb/client.ts';
import type { JobStore } from '../../handlers/platform/jobs/ports.ts';
import { JOBS_TABLE, JOBS_TABLE_SPEC, dynamoJobStore } from '../../handlers/platform/jobs/dynamodb-job-store.ts';
import { createTable, startLocalAws, type LocalAws } from '../helpers/aws-local.ts';
import { jobStoreContract } from './job-store-contract.ts';

jobStoreContract('DynamoDB (dynalite)', async (clock) => {
  const aws = await startLocalAws();
  const table = `contract-${JOBS_TABLE}`;
  await createTable(table, JOBS_TABLE_SPEC);
  const dynamo = createDynamo('contract');
  return {
    store: dynamoJobStore(dynamo, table, { now: clock.now }),
    async close() {
      dynamo.doc.destroy();
      await aws.close();
    },
  };
});

// Crash windows between two writes (there are no transactions): what a retry or a reader sees.
describe('DynamoDB job store: crashes between writes', () => {
  let aws: LocalAws;
  let dynamo: Dynamo;
  let store: JobStore;
  /** Runs before each command; may throw to play a crash at that point. */
  let hook: ((command: { input: Record<string, unknown> }) => Promise<void>) | undefined;
  const expression = (command: { input: Record<string, unknown> }) => String(command.input.UpdateExpression ?? '');

  before(async () => {
    aws = await startLocalAws();
    await createTable('crash-jobs', JOBS_TABLE_SPEC);
    dynamo = createDynamo('crash');
    const send = dynamo.doc.send.bind(dynamo.doc);
    dynamo.doc.send = (async (command: { input: Record<string, unknown> }, ...rest: unknown[]) => {
      await hook?.(command);
      return (send as (...args: unknown[]) => unknown)(command, ...rest);
    }) as typeof dynamo.doc.send;
    store = dynamoJobStore(dynamo, 'crash-jobs');
  });
  afterEach(() => { hook = undefined; });
  after(async () => {
    dynamo.doc.destroy();
    await aws.close();
  });

  it('an item written but never counted is invisible, and adding it again takes it over', async () => {
    const appId = randomUUID();
    const { jobId } = await store.create({ appId, kind: 'x', retentionSeconds: 60 });
    hook = async (command) => {
      if (expression(command).startsWith('ADD #total')) throw new Error('crash');
    };
    await assert.rejects(store.addItems(appId, jobId, [{ itemId: 'a.pdf' }]), /crash/);
    hook = undefined;
    assert.equal(await store.getItem(appId, jobId, 'a.pdf'), undefined);
    assert.deepEqual((await store.listItems(appId, jobId))?.items, []);
    assert.equal(await store.startItem(appId, jobId, 'a.pdf'), undefined);
    const retry = await store.addItems(appId, jobId, [{ itemId: 'a.pdf' }]);
    assert.ok(retry.status === 'ADDED');
    assert.deepEqual(retry.added, ['a.pdf']);
    assert.equal(retry.job.total, 1);
    assert.equal((await store.start(appId, jobId))?.job.state, 'QUEUED');
    assert.equal((await store.completeItem(appId, jobId, 'a.pdf', { result: 1 }))?.job.state, 'COMPLETED');
  });

  it('an item ended but not counted is counted by the redelivery, once', async () => {
    const appId = randomUUID();
    const { jobId } = await store.create({ appId, kind: 'x', items: [{ itemId: 'a' }, { itemId: 'b' }], start: true, retentionSeconds: 60 });
    hook = async (command) => {
      if (expression(command).startsWith('ADD succeeded')) throw new Error('crash');
    };
    await assert.rejects(store.completeItem(appId, jobId, 'a', { result: 1 }), /crash/);
    hook = undefined;
    assert.equal((await store.getItem(appId, jobId, 'a'))?.state, 'SUCCEEDED');
    assert.equal((await store.get(appId, jobId))?.progress.done, 0);
    const again = await store.completeItem(appId, jobId, 'a', { result: 1 });
    assert.equal(again?.counted, false);
    assert.deepEqual(again?.job.progress, { done: 1, total: 2 });
    await store.completeItem(appId, jobId, 'a', { result: 1 });
    const end = await store.completeItem(appId, jobId, 'b', { error: 'x' });
    assert.deepEqual([end?.job.state, end?.job.succeeded, end?.job.failed], ['COMPLETED_WITH_ERRORS', 1, 1]);
  });

  it('a start that wins the race against an add: the add reports NOT_OPEN and leaves nothing behind', async () => {
    const appId = randomUUID();
    const { jobId } = await store.create({ appId, kind: 'x', items: [{ itemId: 'a' }], retentionSeconds: 60 });
    hook = async (command) => {
      if (!expression(command).startsWith('ADD #total')) return;
      hook = undefined;
      await store.start(appId, jobId);
    };
    const out = await store.addItems(appId, jobId, [{ itemId: 'b' }, { itemId: 'c' }]);
    assert.equal(out.status, 'NOT_OPEN');
    const items = await store.listItems(appId, jobId);
    assert.deepEqual(items?.items.map((i) => i.itemId), ['a']);
    assert.equal((await store.get(appId, jobId))?.total, 1);
    assert.equal((await store.completeItem(appId, jobId, 'a', { result: 1 }))?.job.state, 'COMPLETED');
  });

  it('a cancel that stopped half-way is finished by the next cancel (or cancelApp)', async () => {
    const appId = randomUUID();
    const { jobId } = await store.create({ appId, kind: 'x', items: [{ itemId: 'a' }, { itemId: 'b' }, { itemId: 'c' }], start: true, retentionSeconds: 60 });
    let counts = 0;
    hook = async (command) => {
      if (expression(command).startsWith('ADD cancelled') && ++counts > 1) throw new Error('crash');
    };
    await assert.rejects(store.cancel(appId, jobId), /crash/);
    hook = undefined;
    assert.equal((await store.get(appId, jobId))?.state, 'CANCELLED');
    assert.equal(await store.cancelApp(appId), 0, 'already cancelled, though its sweep is resumed');
    const job = await store.get(appId, jobId);
    assert.deepEqual([job?.cancelled, job?.progress.done], [3, 3]);
  });
});
