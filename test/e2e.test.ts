// End to end through the generated client against a listening server: an admin onboards an app,
// the app gets a token by itself, then saves, versions, labels and renders a prompt.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createAdminClient, createPlatformClient } from '../generated/client/index.ts';
import { ADMIN, listen, startTestPlatform, type TestPlatform } from './helpers/platform.ts';

let t: TestPlatform;
let server: Awaited<ReturnType<typeof listen>>;
let baseUrl: string;

before(async () => {
  t = await startTestPlatform();
  server = await listen(t.platform.handler);
  baseUrl = server.baseUrl;
});
after(async () => {
  await server.close();
  await t.close();
});

it('runs the whole onboarding and prompt flow through createPlatformClient', async () => {
  // The admin signs in; outside a browser the client keeps the session cookie itself.
  const { admin } = createAdminClient({ baseUrl });
  const login = await admin.POST('/admin/auth/login', { body: ADMIN });
  assert.equal(login.response.status, 200);
  const created = await admin.POST('/admin/platform/create_app_client', { body: { app_name: 'e2e-app', description: 'End-to-end test' } });
  assert.ok(created.data, JSON.stringify(created.error));

  let tokenRequests = 0;
  const countingFetch: typeof fetch = (input, init) => {
    if (String(input instanceof Request ? input.url : input).endsWith('/oauth2/token')) tokenRequests++;
    return fetch(input, init);
  };
  const client = createPlatformClient({ baseUrl, clientId: created.data.client_id, clientSecret: created.data.client_secret, fetch: countingFetch });

  const v1 = await client.prompt.POST('/prompt/template/save', { body: { name: 'SUPPORT_ANSWER', prompt_template: 'Answer {{question}} briefly.' } });
  const v2 = await client.prompt.POST('/prompt/template/save', { body: { name: 'SUPPORT_ANSWER', prompt_template: 'Answer {{question}} for {{customer}}.' } });
  assert.equal(v1.data?.version, 1);
  assert.equal(v2.data?.version, 2);

  const labelled = await client.prompt.POST('/prompt/template/label', { body: { name: 'SUPPORT_ANSWER', label: 'production', version: 1 } });
  assert.deepEqual(labelled.data, { name: 'SUPPORT_ANSWER', label: 'production', version: 1 });

  const versions = await client.prompt.POST('/prompt/template/versions', { body: { name: 'SUPPORT_ANSWER' } });
  assert.deepEqual(versions.data?.map((v) => v.version), [2, 1]);

  const rendered = await client.prompt.POST('/prompt/template/render', {
    body: { name: 'SUPPORT_ANSWER', label: 'production', variables: { question: 'How do I reset my password?' } },
  });
  assert.equal(rendered.data?.text, 'Answer How do I reset my password? briefly.');

  const missing = await client.prompt.POST('/prompt/template/render', { body: { name: 'SUPPORT_ANSWER', variables: {} } });
  assert.equal(missing.response.status, 400);
  assert.equal(missing.error?.code, 'MISSING_VARIABLES');

  assert.equal(tokenRequests, 1, 'the client fetched one token and reused it');

  // Deactivation bites the very next call, and the client reports it as a typed problem.
  await admin.POST('/admin/platform/deactivate_app_client', { body: { app_id: created.data.app_id } });
  const refused = await client.prompt.POST('/prompt/template/get', { body: { name: 'SUPPORT_ANSWER' } });
  assert.equal(refused.response.status, 401);
  assert.equal(refused.error?.code, 'APP_INACTIVE');
});
