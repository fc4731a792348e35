// One behavioural contract for every metadata-store adapter: the SQLite and DynamoDB adapters
// both run it (sqlite-stores.test.ts, dynamodb-stores.test.ts), so they are interchangeable.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AdminStore, AppRecord, AppStore } from '../../handlers/platform/store/ports.ts';
import type { PromptStore } from '../../handlers/prompt/prompt-store.ts';
import type { UsageEvent, UsageLedger } from '../../handlers/platform/usage/usage-ledger.ts';

export interface Stores {
  apps: AppStore;
  admin: AdminStore;
  prompts: PromptStore;
  ledger: UsageLedger;
  /** The adapter's health check. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const app = (n: number): AppRecord => ({
  appId: randomUUID(),
  clientId: `client-${randomUUID()}`,
  appName: `app ${n}`,
  description: '',
  status: 'active',
  secretHash: 'sha256$x',
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  limits: { requestsPerMinute: null, tokensPerMinute: null, monthlyTokenBudget: null },
});

const usage = (appId: string, createdAt: string, tokens: number): UsageEvent => ({
  appId, service: 'model', operation: 'invoke', resource: 'm', provider: 'openai', units: { input_tokens: tokens, output_tokens: 0 }, latencyMs: 1,
  status: 'SUCCESS', errorCode: null, requestId: randomUUID(), costUsd: 0, createdAt,
});

export function storeContract(label: string, open: () => Promise<Stores>) {
  describe(`store contract: ${label}`, () => {
    let s: Stores;
    before(async () => { s = await open(); });
    after(() => s.close());

    it('answers its health check', async () => {
      await s.ping();
    });

    it('apps: create, find by id and by client id, list in creation order', async () => {
      const [a, b] = [app(2), app(1)];
      await s.apps.create(a);
      await s.apps.create(b);
      assert.deepEqual(await s.apps.findById(a.appId), a);
      assert.deepEqual(await s.apps.findByClientId(a.clientId), a);
      const listed = (await s.apps.list()).filter((x) => [a.appId, b.appId].includes(x.appId));
      assert.deepEqual(listed.map((x) => x.appId), [b.appId, a.appId]);
      await assert.rejects(s.apps.create(a), 'the same app id twice is refused');
      assert.equal(await s.apps.findById('nope'), undefined);
      assert.equal(await s.apps.findByClientId('nope'), undefined);
    });

    it('apps: a change is visible at once through either key; unknown apps are reported', async () => {
      const a = app(3);
      await s.apps.create(a);
      const limits = { requestsPerMinute: 5, tokensPerMinute: null, monthlyTokenBudget: 100 };
      assert.equal((await s.apps.update(a.appId, { status: 'inactive' }))?.status, 'inactive');
      assert.deepEqual((await s.apps.update(a.appId, { limits }))?.limits, limits);
      const seen = await s.apps.findByClientId(a.clientId);
      assert.equal(seen?.status, 'inactive');
      assert.deepEqual(seen?.limits, limits);
      assert.equal(await s.apps.update('nope', { status: 'active' }), undefined);
      assert.equal(await s.apps.delete(a.appId), true);
      assert.equal(await s.apps.findByClientId(a.clientId), undefined);
      assert.equal(await s.apps.findById(a.appId), undefined);
      assert.equal(await s.apps.delete(a.appId), false);
    });

    it('admin: users and sessions, expired sessions not returned', async () => {
      const before = await s.admin.countUsers();
      await s.admin.createUser({ username: 'root', passwordHash: 'h', createdAt: 't' });
      assert.equal(await s.admin.countUsers(), before + 1);
      assert.deepEqual(await s.admin.findUser('root'), { username: 'root', passwordHash: 'h', createdAt: 't' });
      assert.equal(await s.admin.findUser('ghost'), undefined);
      await s.admin.createSession({ idHash: 'h1', username: 'root', expiresAt: 2_000 });
      assert.deepEqual(await s.admin.findSession('h1', 1_000), { idHash: 'h1', username: 'root', expiresAt: 2_000 });
      assert.equal(await s.admin.findSession('h1', 2_000), undefined);
      await s.admin.deleteSession('h1');
      assert.equal(await s.admin.findSession('h1', 0), undefined);
    });

    /** An onboarded app's id: everything else an app owns hangs off one. */
    const newApp = async () => {
      const a = app(9);
      await s.apps.create(a);
      return a.appId;
    };

    it('prompts: concurrent saves get distinct consecutive versions', async () => {
      const appId = await newApp();
      const saved = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        s.prompts.saveVersion(appId, { id: randomUUID(), name: 'greet', template: `v${i}`, createdAt: new Date().toISOString() })));
      assert.deepEqual(saved.map((v) => v.version).sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i + 1));
      assert.equal((await s.prompts.latest(appId, 'greet'))?.version, 20);
      const five = saved.find((v) => v.version === 5)!;
      assert.deepEqual(await s.prompts.version(appId, 'greet', 5), five);
      assert.deepEqual((await s.prompts.versions(appId, 'greet')).map((v) => v.version), Array.from({ length: 20 }, (_, i) => 20 - i));
    });

    it('prompts: names never collide, apps never see each other, pages follow name order', async () => {
      const [appId, other] = [await newApp(), await newApp()];
      const save = (a: string, name: string) => s.prompts.saveVersion(a, { id: randomUUID(), name, template: name, createdAt: '2026-01-01T00:00:00.000Z' });
      for (const name of ['b', 'a', 'a#v#1', 'ab', 'a b']) await save(appId, name);
      await save(other, 'a');
      assert.deepEqual((await s.prompts.versions(appId, 'a')).map((v) => v.template), ['a']);
      assert.equal((await s.prompts.latest(other, 'b')), undefined);
      const first = await s.prompts.summaries(appId, 2);
      const rest = await s.prompts.summaries(appId, 10, first.at(-1)!.name);
      assert.deepEqual([...first, ...rest].map((x) => x.name), ['a', 'a b', 'a#v#1', 'ab', 'b']);
      assert.deepEqual((await s.prompts.allVersions(appId)).map((v) => `${v.name}@${v.version}`), ['a@1', 'a b@1', 'a#v#1@1', 'ab@1', 'b@1']);
    });

    it('prompts: labels point at existing versions; delete removes versions and labels', async () => {
      const appId = await newApp();
      for (let i = 0; i < 3; i++) await s.prompts.saveVersion(appId, { id: randomUUID(), name: 'p', template: `t${i}`, createdAt: '2026-01-01T00:00:00.000Z' });
      assert.equal(await s.prompts.setLabel(appId, 'p', 'prod', 2), true);
      assert.equal(await s.prompts.setLabel(appId, 'p', 'prod', 3), true);
      assert.equal(await s.prompts.setLabel(appId, 'p', 'beta', 9), false);
      assert.deepEqual(await s.prompts.labels(appId, 'p'), { prod: 3 });
      assert.deepEqual((await s.prompts.summaries(appId, 10))[0]?.labels, { prod: 3 });
      assert.equal(await s.prompts.deleteTemplate(appId, 'p'), 3);
      assert.equal(await s.prompts.latest(appId, 'p'), undefined);
      assert.deepEqual(await s.prompts.labels(appId, 'p'), {});
      assert.deepEqual(await s.prompts.summaries(appId, 10), []);
    });

    it('usage ledger: month totals count buffered and written rows; rows list newest first', async () => {
      const appId = await newApp();
      s.ledger.record(usage(appId, '2026-10-31T23:59:59.000Z', 1000));
      s.ledger.record(usage(appId, '2026-11-01T00:00:01.000Z', 10));
      s.ledger.record(usage(appId, '2026-11-02T00:00:00.000Z', 20));
      assert.equal(await s.ledger.tokensSince(appId, '2026-11-01T00:00:00.000Z'), 30, 'before the flush');
      await s.ledger.flush();
      assert.equal(await s.ledger.tokensSince(appId, '2026-11-01T00:00:00.000Z'), 30, 'after the flush');
      assert.equal(await s.ledger.tokensSince(appId, '2026-11-01T12:00:00.000Z'), 20, 'from any instant');
      assert.equal(await s.ledger.tokensSince(randomUUID(), '2026-11-01T00:00:00.000Z'), 0);
      assert.deepEqual((await s.ledger.list(appId, 2)).map((e) => e.units.input_tokens), [20, 10]);
    });

    it('usage ledger: any service meters in its own units; only tokens count towards the token totals', async () => {
      const appId = await newApp();
      const at = new Date().toISOString();
      s.ledger.record(usage(appId, at, 7));
      s.ledger.record({
        appId, service: 'document', operation: 'extract', resource: 'job-1', provider: 'local', units: { pages: 12, ocr_pages: 2 },
        latencyMs: 40, status: 'SUCCESS', errorCode: null, requestId: 'doc-1', costUsd: 0, createdAt: at,
      });
      s.ledger.record({
        appId, service: 'vector', operation: 'search', resource: null, provider: null, units: { queries: 1 },
        latencyMs: 3, status: 'FAILED', errorCode: 'NOT_FOUND', requestId: 'vec-1', costUsd: 0, createdAt: at,
      });
      await s.ledger.flush();
      assert.equal(await s.ledger.tokensSince(appId, `${at.slice(0, 7)}-01T00:00:00.000Z`), 7, 'the month so far');
      assert.equal(await s.ledger.tokensSince(appId, new Date(Date.parse(at) - 1000).toISOString()), 7, 'the last second');
      const rows = await s.ledger.list(appId, 10);
      const doc = rows.find((r) => r.requestId === 'doc-1')!;
      assert.deepEqual([doc.service, doc.operation, doc.resource, doc.provider, doc.units], ['document', 'extract', 'job-1', 'local', { pages: 12, ocr_pages: 2 }]);
      const search = rows.find((r) => r.requestId === 'vec-1')!;
      assert.deepEqual([search.service, search.resource, search.units, search.status, search.errorCode], ['vector', null, { queries: 1 }, 'FAILED', 'NOT_FOUND']);
    });
  });
}
