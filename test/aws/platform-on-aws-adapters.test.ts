// The whole platform with STORE=dynamodb and QUEUE=sqs (dynalite and local-aws-sqs on loopback):
// onboarding, tokens, prompts, deactivation and a background invocation through SQS, over HTTP.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.ts';
import { startLocalAws, type LocalAws } from '../helpers/aws-local.ts';

let aws: LocalAws;
let upstream: FakeOpenAi;
let t: TestPlatform;

before(async () => {
  aws = await startLocalAws();
  await aws.createTables('e2e');
  await aws.createQueues('e2e');
  upstream = await startFakeOpenAi();
  t = await startTestPlatform({
    STORE: 'dynamodb', DYNAMODB_TABLE_PREFIX: 'e2e', QUEUE: 'sqs', SQS_QUEUE_PREFIX: 'e2e', SQS_WAIT_SECONDS: '0',
    OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'echo',
  });
});
after(async () => {
  await t.close();
  await upstream.close();
  await aws.close();
});

it('onboards an app, serves its prompts, and refuses it at once when deactivated', async () => {
  const app = await t.appAuth('dynamo-app');
  const save = (template: string) => t.http.post('/prompt/template/save').set('authorization', app.authorization).send({ name: 'greet', prompt_template: template });
  const versions = await Promise.all(['a {{x}}', 'b {{x}}', 'c {{x}}'].map(async (tpl) => (await save(tpl).expect(200)).body.version));
  assert.deepEqual(versions.sort(), [1, 2, 3]);
  const get = (auth: string) => t.http.post('/prompt/template/get').set('authorization', auth).send({ name: 'greet' });
  const got = await get(app.authorization).expect(200);
  assert.equal(got.body.version, 3);

  const other = await t.appAuth('other-app');
  expectProblem(await get(other.authorization), 404, 'PROMPT_NOT_FOUND');

  await t.http.post('/admin/platform/deactivate_app_client').set('cookie', await t.adminCookie()).send({ app_id: app.app_id }).expect(200);
  expectProblem(await get(app.authorization), 401, 'APP_INACTIVE');
});

it('runs a background invocation through SQS', async () => {
  const app = await t.appAuth('async-app');
  const submitted = await t.http.post('/model/async_invoke').set('authorization', app.authorization).send({ model_name: 'echo', prompt: 'via sqs' }).expect(200);
  const id = submitted.body.invocation_id;
  const deadline = Date.now() + 15_000;
  let res;
  do {
    res = await t.http.get(`/model/async_output/${id}`).set('authorization', app.authorization);
    if (res.status === 200) break;
    await sleep(50);
  } while (Date.now() < deadline);
  assert.equal(res.status, 200);
  assert.equal(res.body.status, 'SUCCEEDED');
  assert.equal(res.body.output_text, 'echo: via sqs');
});
