// Saving versions is atomic: many saves of one name at once give 1..N, none lost or repeated.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startTestPlatform, type TestPlatform } from './helpers/platform.ts';

let t: TestPlatform;
before(async () => { t = await startTestPlatform(); });
after(() => t.close());

it('gives 50 concurrent saves of one name the versions 1..50', async () => {
  const { authorization } = await t.appAuth('busy-app');
  const server = createServer(t.platform.handler).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  try {
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        fetch(`http://127.0.0.1:${port}/prompt/template/save`, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'contended', prompt_template: `text ${i}` }),
        }).then(async (res) => ({ status: res.status, body: (await res.json()) as { version: number; prompt_template: string } })),
      ),
    );
    assert.deepEqual(responses.map((r) => r.status), Array(50).fill(200));
    assert.deepEqual(responses.map((r) => r.body.version).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i + 1));
    const versions = await t.http.post('/prompt/template/versions').set('authorization', authorization).send({ name: 'contended' }).expect(200);
    assert.equal(versions.body.length, 50);
    assert.deepEqual(new Set(versions.body.map((v: { prompt_template: string }) => v.prompt_template)).size, 50);
  } finally {
    server.close();
  }
});
