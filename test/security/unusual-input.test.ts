// Inputs a fuzzer finds: numbers that are not finite in a query, and names carrying characters that
// hide or reorder text (C1 controls, line separators, bidirectional overrides).
import { after, before, it } from 'node:test';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

let t: TestPlatform;
let authorization: string;
before(async () => {
  t = await startTestPlatform();
  ({ authorization } = await t.appAuth());
});
after(() => t.close());

it('a page size of Infinity or 1e400 is a validation problem, not a 500', async () => {
  for (const limit of ['Infinity', '-Infinity', '1e400']) {
    const res = await t.http.get(`/prompt/templates?limit=${limit}`).set('authorization', authorization);
    expectProblem(res, 400, 'VALIDATION_ERROR');
  }
});

it('names refuse C1 controls, line separators and bidirectional overrides', async () => {
  const cookie = await t.adminCookie();
  for (const name of ['a\u0085b', 'a\u2028b', 'invoice\u202etxt.exe', 'a\u2066b']) {
    expectProblem(await t.http.post('/admin/platform/create_app_client').set('cookie', cookie).send({ app_name: name, description: 'd' }), 400, 'VALIDATION_ERROR');
    expectProblem(await t.http.post('/prompt/template/save').set('authorization', authorization).send({ name, prompt_template: 'x' }), 400, 'VALIDATION_ERROR');
  }
});
