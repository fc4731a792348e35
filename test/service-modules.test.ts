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
import { openDatabase } from '../handlers/platform/store/sqlite/database.ts';
import { KERNEL_MIGRATIONS } from '../handlers/platform/store/sqlite/migrations.ts';
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

describe('SQLite schema versions per module', () => {
  it('a database from the single global list is carried over, then each module migrates on its own', () => {
    const dir = join(scratch, 'legacy');
    openDatabase(join(scratch, 'fresh'), MODULES).close();
    // Recreate what the old code made: the same tables, user_version 2, no per-module versions.
    const fresh = new Database(join(scratch, 'fresh', 'platform.sqlite'));
    const tables = fresh.prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name <> 'schema_versions'").all();
    fresh.close();
    mkdirSync(dir);
    const old = new Database(join(dir, 'platform.sqlite'));
    for (const { sql } of tables) old.exec(sql);
    old.pragma('user_version = 2');
    old.close();

    const db = openDatabase(dir, [...MODULES, widgetModule]);
    const versions = Object.fromEntries(db.prepare<[], { owner: string; version: number }>('SELECT owner, version FROM schema_versions').all().map((r) => [r.owner, r.version]));
    assert.deepEqual(versions, { platform: KERNEL_MIGRATIONS.length, prompt: 1, model: 1, widgets: 1 });
    db.prepare('INSERT INTO widgets (app_id, name) VALUES (?, ?)').run('a', 'new table made');
    db.close();
  });
});

