// Start-up mistakes end with one line naming the cause and exit code 1: no stack trace, no hang.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runUntilExit, startPlatformProcess, type Exited } from './helpers/platform-process.ts';

const scratch = mkdtempSync(join(tmpdir(), 'gaf-startup-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const base = { ADMIN_PASSWORD: 'startup-test-password', HOST: '127.0.0.1' };

function expectOneLineFailure(result: Exited, message: RegExp) {
  assert.equal(result.signal, null, `the process hung and was killed; stderr: ${result.stderr}`);
  assert.equal(result.code, 1, result.stderr + result.stdout);
  const lines = result.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `expected one line, got:\n${result.stderr}`);
  assert.match(lines[0]!, message);
  assert.doesNotMatch(result.stderr + result.stdout, /\n\s+at /, 'no stack trace');
}

describe('DATA_DIR mistakes', { concurrency: true }, () => {
  it('a file', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'x');
    expectOneLineFailure(await runUntilExit({ ...base, PORT: '0', DATA_DIR: file }), /DATA_DIR ".*a-file" is a file/);
    expectOneLineFailure(await runUntilExit({ ...base, PORT: '0', DATA_DIR: join(file, 'sub') }), /cannot be created: ".*a-file" is a file/);
  });

  it('under /proc or /sys (Node\'s recursive mkdir would spin there forever)', async () => {
    expectOneLineFailure(await runUntilExit({ ...base, PORT: '0', DATA_DIR: '/proc/gaf-data' }), /DATA_DIR "\/proc\/gaf-data" is under \/proc/);
    expectOneLineFailure(await runUntilExit({ ...base, PORT: '0', DATA_DIR: '/sys/gaf-data' }), /is under \/sys/);
  });

  it('not writable', async () => {
    const locked = join(scratch, 'locked');
    mkdirSync(locked);
    // root writes through permission bits, so as root the directory is made immutable instead.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) execFileSync('chattr', ['+i', locked]);
    else chmodSync(locked, 0o555);
    try {
      const result = await runUntilExit({ ...base, PORT: '0', DATA_DIR: join(locked, 'data') });
      expectOneLineFailure(result, /DATA_DIR ".*locked\/data" is not writable by this user/);
    } finally {
      if (asRoot) execFileSync('chattr', ['-i', locked]);
    }
  });
});

describe('data mistakes', () => {
  it('a token-signing key that is not a key', async () => {
    const dir = join(scratch, 'bad-key');
    mkdirSync(dir);
    writeFileSync(join(dir, 'signing-key.jwk.json'), 'garbage\n');
    expectOneLineFailure(await runUntilExit({ ...base, PORT: '0', DATA_DIR: dir }), /the token-signing key .*signing-key\.jwk\.json is unreadable/);
  });
});

describe('listening mistakes', { concurrency: true }, () => {
  it('PORT already in use', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as { port: number };
    try {
      const result = await runUntilExit({ ...base, PORT: String(port), DATA_DIR: join(scratch, 'port') });
      expectOneLineFailure(result, new RegExp(`PORT ${port} is already in use on 127.0.0.1`));
    } finally {
      blocker.close();
    }
  });

  it('HOST that does not resolve', async () => {
    const result = await runUntilExit({ ...base, PORT: '0', HOST: 'no-such-host.invalid', DATA_DIR: join(scratch, 'host') });
    expectOneLineFailure(result, /HOST "no-such-host\.invalid" does not resolve/);
  });

  it('a bad variable still names itself', async () => {
    expectOneLineFailure(await runUntilExit({ ...base, PORT: 'eighty' }), /^configuration error: PORT must be an integer/);
  });

  it('a bad setting of one module stops the process, even where another module runs alone', async () => {
    const result = await runUntilExit({ ...base, PORT: '0', SERVICE: 'prompt', MODEL_TIMEOUT_MS: 'soon', DATA_DIR: join(scratch, 'module-config') });
    expectOneLineFailure(result, /^configuration error: MODEL_TIMEOUT_MS must be an integer/);
  });
});

describe('first start, then a restart with ADMIN_PASSWORD', () => {
  it('warns in one line that ADMIN_PASSWORD is ignored once the admin exists', async () => {
    const dataDir = join(scratch, 'restart');
    const port = String(await freePort());
    const first = await startPlatformProcess({ HOST: '127.0.0.1', PORT: port, DATA_DIR: dataDir });
    await first.stop();
    assert.match(first.stderr(), /Created the first admin user "admin" with password: \S+/);
    const log = JSON.parse(first.stdout().split('\n').find((line) => line.includes('is listening'))!);
    assert.equal(log.data_dir, dataDir);
    assert.equal(log.docs, `http://localhost:${port}/docs`);
    assert.deepEqual(log.models.local, ['LOCAL_USE_LITE_512']);

    const second = await startPlatformProcess({ ...base, PORT: port, DATA_DIR: dataDir });
    await second.stop();
    const warnings = second.stdout().split('\n').filter((line) => line.includes('"level":40'));
    assert.equal(warnings.length, 1, second.stdout());
    assert.match(JSON.parse(warnings[0]!).msg, /ADMIN_PASSWORD is ignored: an admin already exists/);
    assert.doesNotMatch(second.stderr(), /Created the first admin/);
  });
});
