// Capabilities between modules: a module that requires one gets it from a module listed before
// it, also in a process that serves only that module (SERVICE=<name>); otherwise the platform
// refuses to start, naming what is missing.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPlatform } from './helpers/platform.ts';
import { createApiKey } from './helpers/api-keys.ts';
import { startFakeOpenAi } from './helpers/fake-openai.ts';
import { ConfigError } from '../handlers/platform/config.ts';
import { authModule } from '../handlers/auth/module.ts';
import { adminModule } from '../handlers/admin/module.ts';
import { modelModule } from '../handlers/model/module.ts';
import { openAiModule } from '../handlers/openai/module.ts';

it('refuses to start a module whose required capability no earlier module provides', async () => {
  for (const modules of [[authModule, adminModule, openAiModule], [authModule, adminModule, openAiModule, modelModule]]) {
    await assert.rejects(startTestPlatform({}, undefined, modules), (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /module "openai" requires the capability "models", which no module listed before it provides/);
      return true;
    });
  }
});

it('serves /v1 with SERVICE=openai: the model module runs in that process for it', async () => {
  const upstream = await startFakeOpenAi();
  const dir = mkdtempSync(join(tmpdir(), 'gaf-caps-'));
  const env = { OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'echo' };
  try {
    const all = await startTestPlatform(env, dir);
    const key = (await createApiKey(all, (await all.onboardApp('caps')).app_id)).api_key;
    await all.close();

    const only = await startTestPlatform({ ...env, SERVICE: 'openai' }, dir);
    const res = await only.http.post('/v1/chat/completions').set('authorization', `Bearer ${key}`)
      .send({ model: 'echo', messages: [{ role: 'user', content: 'alone' }] }).expect(200);
    assert.equal(res.body.choices[0].message.content, 'echo: alone');
    await only.http.post('/model/invoke').send({}).expect(404);
    await only.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await upstream.close();
  }
});
