// Every prompt belongs to the app that saved it: two apps can use one name independently and
// neither can read, label, render, list or delete the other's.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectProblem, startTestPlatform, type TestPlatform } from './helpers/platform.ts';

let t: TestPlatform;
let alice: string;
let bob: string;

before(async () => {
  t = await startTestPlatform();
  alice = (await t.appAuth('alice')).authorization;
  bob = (await t.appAuth('bob')).authorization;
});
after(() => t.close());

const post = (authorization: string, path: string, body: object) => t.http.post(path).set('authorization', authorization).send(body);

it('keeps two apps\' templates of the same name apart', async () => {
  await post(alice, '/prompt/template/save', { name: 'shared-name', prompt_template: 'alice v1' }).expect(200);
  await post(alice, '/prompt/template/save', { name: 'shared-name', prompt_template: 'alice v2' }).expect(200);
  const bobs = await post(bob, '/prompt/template/save', { name: 'shared-name', prompt_template: 'bob v1' }).expect(200);
  assert.equal(bobs.body.version, 1, "bob's numbering is his own");

  assert.equal((await post(alice, '/prompt/template/get', { name: 'shared-name' })).body.prompt_template, 'alice v2');
  assert.equal((await post(bob, '/prompt/template/get', { name: 'shared-name' })).body.prompt_template, 'bob v1');
  assert.equal((await post(alice, '/prompt/template/version', { name: 'shared-name', vnum: 1 })).body.prompt_template, 'alice v1');
});

it("never reveals another app's template by any route", async () => {
  await post(alice, '/prompt/template/save', { name: 'alice-only', prompt_template: '{{x}}' }).expect(200);
  expectProblem(await post(bob, '/prompt/template/get', { name: 'alice-only' }), 404, 'PROMPT_NOT_FOUND');
  expectProblem(await post(bob, '/prompt/template/versions', { name: 'alice-only' }), 404, 'PROMPT_NOT_FOUND');
  expectProblem(await post(bob, '/prompt/template/version', { name: 'alice-only', vnum: 1 }), 404, 'PROMPT_VERSION_NOT_FOUND');
  expectProblem(await post(bob, '/prompt/template/render', { name: 'alice-only', variables: { x: 1 } }), 404, 'PROMPT_NOT_FOUND');
  expectProblem(await post(bob, '/prompt/template/label', { name: 'alice-only', label: 'production', version: 1 }), 404, 'PROMPT_VERSION_NOT_FOUND');
  expectProblem(await post(bob, '/prompt/template/delete', { name: 'alice-only' }), 404, 'PROMPT_NOT_FOUND');
  const bobList = await t.http.get('/prompt/template/list').set('authorization', bob).expect(200);
  assert.equal(bobList.body['alice-only'], undefined);
  const bobPage = await t.http.get('/prompt/templates').set('authorization', bob).expect(200);
  assert.ok(!bobPage.body.items.some((i: { name: string }) => i.name === 'alice-only'));
  await post(alice, '/prompt/template/get', { name: 'alice-only' }).expect(200);
});
