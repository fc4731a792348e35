// The module contract: the kernel names no service; a new service mounts with one line in the
// module list; each module's SQLite schema is versioned on its own, and databases made before
// that (one global version) are carried over without re-running anything.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { MODULES } from '../handlers/modules.ts';
import type { Kernel, ServiceModule } from '../handlers/platform/module.ts';
import { openDatabase } from '../handlers/platform/store/sqlite/database.ts';
import { KERNEL_MIGRATIONS } from '../handlers/platform/store/sqlite/migrations.ts';
import { sqliteJobStore } from '../handlers/platform/jobs/sqlite-job-store.ts';
import { sqliteUsageLedger } from '../handlers/platform/usage/sqlite-usage-ledger.ts';
import { expectProblem, startTestPlatform } from './helpers/platform.ts';
import { widgetModule } from './fixtures/widget-module/module.ts';

const root = new URL('..', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'gaf-modules-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : path.endsWith('.ts') ? [path] : [];
  });
}

it('the kernel (handlers/platform) imports nothing outside itself but generated shared types', () => {
  const kernel = join(root, 'handlers/platform');
  const offending: string[] = [];
  for (const file of filesUnder(kernel)) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const target = resolve(dirname(file), spec!);
      const inside = !relative(kernel, target).startsWith('..') || target === join(root, 'generated/problems.ts');
      if (!inside) offending.push(`${relative(root, file)} → ${spec}`);
    }
  }
  assert.deepEqual(offending, []);
});

describe('a test-only module added with one line', () => {
  it('serves its spec with the kernel\'s auth and validation, on its own table', async (ctx) => {
    const t = await startTestPlatform({}, undefined, [...MODULES, widgetModule]);
    ctx.after(() => t.close());
    const a = await t.appAuth('widget-a');
    const b = await t.appAuth('widget-b');
    const save = (authorization: string, body: object) => t.http.post('/widgets/items').set('authorization', authorization).send(body);
    await save(a.authorization, { name: 'sprocket' }).expect(200);
    assert.deepEqual((await save(a.authorization, { name: 'cog' }).expect(200)).body, { names: ['sprocket', 'cog'] });
    assert.deepEqual((await save(b.authorization, { name: 'gear' }).expect(200)).body, { names: ['gear'] }, 'apps stay apart');
    expectProblem(await save(a.authorization, { name: '' }), 400, 'VALIDATION_ERROR');
    expectProblem(await t.http.post('/widgets/items').send({ name: 'x' }), 401, 'UNAUTHENTICATED');
    const health = (await t.http.get('/admin/platform/services/health').set('cookie', await t.adminCookie()).expect(200)).body;
    assert.ok(JSON.stringify(health).includes('Widget Service'), 'listed in the admin health overview');
  });
});

describe('the kernel\'s blob store', () => {
  it('hands modules signed URLs that the platform itself serves: a raw-bytes PUT, then a GET', async (ctx) => {
    let blobs: Kernel['blobs'] | undefined;
    const probe: ServiceModule = { name: 'blob-probe', async start(kernel) { blobs = kernel.blobs; return undefined; } };
    const t = await startTestPlatform({}, undefined, [...MODULES, probe]);
    ctx.after(() => t.close());
    const upload = await blobs!.signedUploadUrl('app-1', 'job-1/report.pdf', { maxBytes: 1000, expiresInSeconds: 60 });
    const path = (url: string) => url.slice(new URL(url).origin.length);
    await t.http.put(path(upload.url)).send(Buffer.from('%PDF-1.7 tiny')).expect(200);
    const download = await blobs!.signedDownloadUrl('app-1', 'job-1/report.pdf', { expiresInSeconds: 60 });
    const res = await t.http.get(path(download.url)).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c)).on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.equal((res.body as Buffer).toString(), '%PDF-1.7 tiny');
    expectProblem(await t.http.put(path(upload.url)).send(Buffer.alloc(2000)), 413, 'PAYLOAD_TOO_LARGE');
    expectProblem(await t.http.get(`${path(download.url)}x`), 403, 'SIGNED_URL_INVALID');
  });
});

describe('SQLite schema versions per module', () => {
  const migrationsOf = (name: string) => MODULES.find((m) => m.name === name)!.sqliteMigrations!;
  /** What the code before per-module versions made: the first global list (version 2), nothing since. */
  function legacyDatabase(dir: string): Database.Database {
    mkdirSync(dir);
    const old = new Database(join(dir, 'platform.sqlite'));
    for (const sql of [...KERNEL_MIGRATIONS.slice(0, 2), migrationsOf('prompt')[0]!, migrationsOf('model')[0]!]) old.exec(sql);
    old.pragma('user_version = 2');
    return old;
  }

  it('a database from the single global list is carried over, then each module migrates on its own', async () => {
    const dir = join(scratch, 'legacy');
    const old = legacyDatabase(dir);
    old.prepare(`INSERT INTO usage_events (app_id, operation, model_name, provider, input_tokens, output_tokens, latency_ms, status, error_code, request_id, cost_usd, created_at)
      VALUES ('app-1', 'invoke', 'echo', 'openai', 5, 3, 1.5, 'SUCCESS', NULL, 'req-1', 0.01, '2026-01-01T00:00:00.000Z')`).run();
    old.close();

    const db = openDatabase(dir, [...MODULES, widgetModule]);
    const versions = Object.fromEntries(db.prepare<[], { owner: string; version: number }>('SELECT owner, version FROM schema_versions').all().map((r) => [r.owner, r.version]));
    assert.deepEqual(versions, { platform: KERNEL_MIGRATIONS.length, prompt: 1, model: 2, vector: 1, widgets: 1 });
    db.prepare('INSERT INTO widgets (app_id, name) VALUES (?, ?)').run('a', 'new table made');
    const [row] = await sqliteUsageLedger(db).list('app-1', 10);
    assert.deepEqual(
      [row!.service, row!.operation, row!.resource, row!.units, row!.costUsd, row!.requestId],
      ['model', 'invoke', 'echo', { input_tokens: 5, output_tokens: 3 }, 0.01, 'req-1'],
      'model-call rows of the token-only ledger are carried over as model rows with token units',
    );
    db.close();
  });

  it('background invocations of the old table move to the job store, unexpired ones only, and the old table goes', async () => {
    const dir = join(scratch, 'invocations');
    const old = legacyDatabase(dir);
    old.prepare(`INSERT INTO apps (app_id, client_id, app_name, description, status, secret_hash, created_at) VALUES ('app-1', 'c1', 'a', '', 'active', 'x', '2026-01-01T00:00:00.000Z')`).run();
    const insert = old.prepare(`INSERT INTO model_invocations (id, app_id, request_id, status, request, result, error, created_at, completed_at, expires_at)
      VALUES (?, 'app-1', ?, ?, ?, ?, NULL, ?, ?, ?)`);
    const created = new Date(Date.now() - 60_000).toISOString();
    const ttlMs = 86_400_000;
    const expires = Date.parse(created) + ttlMs;
    const result = { output_text: 'hi', input_tokens: 1, output_tokens: 1, model_name: 'echo', finish_reason: 'stop' };
    insert.run('queued', 'req-q', 'QUEUED', JSON.stringify({ model_name: 'echo', prompt: 'later' }), null, created, null, expires);
    insert.run('done', 'req-d', 'SUCCEEDED', JSON.stringify({ model_name: 'echo', prompt: 'now' }), JSON.stringify(result), created, created, expires);
    insert.run('stale', 'req-s', 'SUCCEEDED', '{}', JSON.stringify(result), '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z', Date.parse('2020-01-02T00:00:00.000Z'));
    old.close();

    const db = openDatabase(dir, MODULES);
    try {
      assert.equal(db.prepare("SELECT name FROM sqlite_master WHERE name = 'model_invocations'").get(), undefined, 'old table dropped');
      const jobs = sqliteJobStore(db);
      const queued = await jobs.get('app-1', 'queued');
      assert.deepEqual(
        [queued?.kind, queued?.state, queued?.input, queued?.createdAt, queued?.expiresAt],
        ['model-invocation', 'QUEUED', { request: { model_name: 'echo', prompt: 'later' }, requestId: 'req-q' }, created, undefined],
      );
      assert.equal((await jobs.startItem('app-1', 'queued', 'invocation'))?.state, 'IN_PROGRESS', 'a worker can still run it');
      const done = await jobs.get('app-1', 'done');
      assert.deepEqual([done?.state, done?.progress, done?.finishedAt, done?.expiresAt], ['COMPLETED', { done: 1, total: 1 }, created, expires]);
      const item = await jobs.getItem('app-1', 'done', 'invocation');
      assert.deepEqual([item?.state, item?.result, item?.finishedAt], ['SUCCEEDED', result, created]);
      assert.equal(await jobs.get('app-1', 'stale'), undefined, 'expired ones are not carried over');
      // Retention is the old TTL: an invocation still running ends with that much time to be read.
      const ended = await jobs.completeItem('app-1', 'queued', 'invocation', { result });
      assert.ok(Math.abs(ended!.job.expiresAt! - Date.now() - ttlMs) < 5_000);
    } finally {
      db.close();
    }
  });
});
