import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

let t: TestPlatform;
let auth: string;
let other: string;

before(async () => {
  t = await startTestPlatform();
  auth = (await t.appAuth('prompt-app')).authorization;
  other = (await t.appAuth('other-app')).authorization;
});
after(() => t.close());

const post = (path: string, body: unknown, authorization = auth) =>
  t.http.post(path).set('authorization', authorization).send(body as object);
const save = (name: string, prompt_template: string, authorization = auth) =>
  post('/prompt/template/save', { name, prompt_template }, authorization);

describe('createPromptTemplate', () => {
  it('saves version 1 of a new name and lists its variables', async () => {
    const res = await save('greeting', 'Hello {{name}}, welcome to {{ place }}. Bye {{name}}.').expect(200);
    assert.equal(res.body.version, 1);
    assert.equal(res.body.name, 'greeting');
    assert.deepEqual(res.body.variables, ['name', 'place']);
    assert.deepEqual(res.body.labels, []);
    assert.match(res.body.id, /^[0-9a-f-]{36}$/);
    assert.ok(!Number.isNaN(Date.parse(res.body.created_at)));
  });

  it('numbers each further save as the next version', async () => {
    await save('counter', 'one').expect(200);
    const second = await save('counter', 'two').expect(200);
    assert.equal(second.body.version, 2);
  });

  it('returns 400 naming the field when the name is over 128 characters', async () => {
    const body = expectProblem(await save('x'.repeat(129), 'text'), 400, 'VALIDATION_ERROR');
    assert.ok(body.errors?.some((e) => e.path === 'body.name'));
  });

  it('returns 400 when the template is over 100,000 characters', async () => {
    const body = expectProblem(await save('big', 'x'.repeat(100_001)), 400, 'VALIDATION_ERROR');
    assert.ok(body.errors?.some((e) => e.path === 'body.prompt_template'));
  });

  it('returns 400 naming an unknown field', async () => {
    const body = expectProblem(await post('/prompt/template/save', { name: 'a', prompt_template: 'b', owner: 'x' }), 400, 'VALIDATION_ERROR');
    assert.deepEqual(body.errors?.map((e) => e.path), ['body.owner']);
  });

  it('returns 401 without a token', async () => {
    expectProblem(await t.http.post('/prompt/template/save').send({ name: 'a', prompt_template: 'b' }), 401, 'UNAUTHENTICATED');
  });
});

describe('getPromptTemplate', () => {
  it('returns the latest version', async () => {
    await save('latest', 'v1').expect(200);
    await save('latest', 'v2').expect(200);
    const res = await post('/prompt/template/get', { name: 'latest' }).expect(200);
    assert.equal(res.body.version, 2);
    assert.equal(res.body.prompt_template, 'v2');
  });

  it('returns the version a label points at', async () => {
    await save('labelled', 'v1').expect(200);
    await save('labelled', 'v2').expect(200);
    await post('/prompt/template/label', { name: 'labelled', label: 'production', version: 1 }).expect(200);
    const res = await post('/prompt/template/get', { name: 'labelled', label: 'production' }).expect(200);
    assert.equal(res.body.version, 1);
    assert.deepEqual(res.body.labels, ['production']);
  });

  it('returns 404 for an unknown name', async () => {
    expectProblem(await post('/prompt/template/get', { name: 'nope' }), 404, 'PROMPT_NOT_FOUND');
  });

  it('returns 404 for an unknown label', async () => {
    await save('unlabelled', 'v1').expect(200);
    expectProblem(await post('/prompt/template/get', { name: 'unlabelled', label: 'staging' }), 404, 'PROMPT_LABEL_NOT_FOUND');
  });

  it('returns 404 problem when the template belongs to another app', async () => {
    await save('private', 'mine').expect(200);
    expectProblem(await post('/prompt/template/get', { name: 'private' }, other), 404, 'PROMPT_NOT_FOUND');
  });
});

describe('listPromptTemplateVersions', () => {
  it('returns every version, newest first', async () => {
    for (const text of ['a', 'b', 'c']) await save('history', text).expect(200);
    const res = await post('/prompt/template/versions', { name: 'history' }).expect(200);
    assert.deepEqual(res.body.map((v: { version: number }) => v.version), [3, 2, 1]);
    assert.deepEqual(res.body.map((v: { prompt_template: string }) => v.prompt_template), ['c', 'b', 'a']);
  });

  it('returns 404 for an unknown name', async () => {
    expectProblem(await post('/prompt/template/versions', { name: 'missing' }), 404, 'PROMPT_NOT_FOUND');
  });
});

describe('getPromptTemplateVersion', () => {
  it('returns the requested version', async () => {
    await save('pinned', 'first').expect(200);
    await save('pinned', 'second').expect(200);
    const res = await post('/prompt/template/version', { name: 'pinned', vnum: 1 }).expect(200);
    assert.equal(res.body.prompt_template, 'first');
  });

  it('returns 404 for a version that does not exist', async () => {
    await save('short', 'only').expect(200);
    expectProblem(await post('/prompt/template/version', { name: 'short', vnum: 2 }), 404, 'PROMPT_VERSION_NOT_FOUND');
  });

  for (const vnum of [0, -1, 1.5, '1']) {
    it(`returns 400 for the version ${JSON.stringify(vnum)}`, async () => {
      const body = expectProblem(await post('/prompt/template/version', { name: 'short', vnum }), 400, 'VALIDATION_ERROR');
      assert.ok(body.errors?.some((e) => e.path === 'body.vnum'));
    });
  }
});

describe('renderPromptTemplate', () => {
  before(async () => {
    await save('qa', 'Context: {{context}}\nQuestion: {{question}}').expect(200);
    await save('qa', 'v2 {{question}}').expect(200);
    await post('/prompt/template/label', { name: 'qa', label: 'production', version: 1 }).expect(200);
  });

  it('fills every placeholder of the latest version', async () => {
    const res = await post('/prompt/template/render', { name: 'qa', variables: { question: 'Why?' } }).expect(200);
    assert.deepEqual(res.body, { name: 'qa', version: 2, text: 'v2 Why?', variables: ['question'] });
  });

  it('renders the labelled version and a pinned version', async () => {
    const labelled = await post('/prompt/template/render', {
      name: 'qa', label: 'production', variables: { context: 'C', question: 'Q', unused: true },
    }).expect(200);
    assert.equal(labelled.body.text, 'Context: C\nQuestion: Q');
    const pinned = await post('/prompt/template/render', { name: 'qa', version: 2, variables: { question: 42 } }).expect(200);
    assert.equal(pinned.body.text, 'v2 42');
  });

  it('inserts values as plain text, never evaluating them', async () => {
    await save('inert', '{{a}}').expect(200);
    const res = await post('/prompt/template/render', { name: 'inert', variables: { a: '{{b}} ${process.exit()} {{constructor}}' } }).expect(200);
    assert.equal(res.body.text, '{{b}} ${process.exit()} {{constructor}}');
  });

  it('does not treat inherited object properties as values', async () => {
    await save('proto', 'x {{toString}} {{constructor}}').expect(200);
    const body = expectProblem(await post('/prompt/template/render', { name: 'proto', variables: {} }), 400, 'MISSING_VARIABLES');
    assert.deepEqual(body.errors?.map((e) => e.path), ['body.variables.toString', 'body.variables.constructor']);
  });

  it('returns 400 listing every missing variable', async () => {
    const body = expectProblem(await post('/prompt/template/render', { name: 'qa', label: 'production', variables: {} }), 400, 'MISSING_VARIABLES');
    assert.deepEqual(body.errors?.map((e) => e.path), ['body.variables.context', 'body.variables.question']);
    assert.match(body.detail, /context, question/);
  });

  it('returns 400 when both version and label are given', async () => {
    expectProblem(await post('/prompt/template/render', { name: 'qa', version: 1, label: 'production' }), 400, 'VALIDATION_ERROR');
  });

  it('returns 400 when the rendered text would exceed 1,000,000 characters', async () => {
    await save('bomb', '{{v}}'.repeat(20)).expect(200);
    expectProblem(await post('/prompt/template/render', { name: 'bomb', variables: { v: 'x'.repeat(60_000) } }), 400, 'RENDERED_PROMPT_TOO_LARGE');
  });

  it('returns 400 for a variable value that is an object', async () => {
    expectProblem(await post('/prompt/template/render', { name: 'qa', variables: { question: { nested: 1 } } }), 400, 'VALIDATION_ERROR');
  });

  it('returns 404 for an unknown template', async () => {
    expectProblem(await post('/prompt/template/render', { name: 'ghost', variables: {} }), 404, 'PROMPT_NOT_FOUND');
  });
});

describe('setPromptTemplateLabel', () => {
  it('moves a label to another version', async () => {
    await save('moving', 'one').expect(200);
    await save('moving', 'two').expect(200);
    await post('/prompt/template/label', { name: 'moving', label: 'production', version: 1 }).expect(200);
    const moved = await post('/prompt/template/label', { name: 'moving', label: 'production', version: 2 }).expect(200);
    assert.deepEqual(moved.body, { name: 'moving', label: 'production', version: 2 });
    const got = await post('/prompt/template/get', { name: 'moving', label: 'production' }).expect(200);
    assert.equal(got.body.prompt_template, 'two');
  });

  it('returns 404 for a version that does not exist', async () => {
    await save('labelless', 'one').expect(200);
    expectProblem(await post('/prompt/template/label', { name: 'labelless', label: 'production', version: 9 }), 404, 'PROMPT_VERSION_NOT_FOUND');
  });

  it('returns 400 for a label with upper-case letters', async () => {
    expectProblem(await post('/prompt/template/label', { name: 'labelless', label: 'Prod', version: 1 }), 400, 'VALIDATION_ERROR');
  });
});

describe('deletePromptTemplate', () => {
  it('deletes every version and label, and a new save starts again at 1', async () => {
    await save('doomed', 'one').expect(200);
    await save('doomed', 'two').expect(200);
    await post('/prompt/template/label', { name: 'doomed', label: 'production', version: 2 }).expect(200);
    const res = await post('/prompt/template/delete', { name: 'doomed' }).expect(200);
    assert.deepEqual(res.body, { name: 'doomed', deleted_versions: 2 });
    expectProblem(await post('/prompt/template/get', { name: 'doomed' }), 404, 'PROMPT_NOT_FOUND');
    const again = await save('doomed', 'fresh').expect(200);
    assert.equal(again.body.version, 1);
    assert.deepEqual(again.body.labels, []);
  });

  it('returns 404 for an unknown name', async () => {
    expectProblem(await post('/prompt/template/delete', { name: 'never-saved' }), 404, 'PROMPT_NOT_FOUND');
  });

  it("cannot delete another app's template", async () => {
    await save('guarded', 'mine').expect(200);
    expectProblem(await post('/prompt/template/delete', { name: 'guarded' }, other), 404, 'PROMPT_NOT_FOUND');
    await post('/prompt/template/get', { name: 'guarded' }).expect(200);
  });
});

describe('listPromptTemplatesByName', () => {
  it("maps each of the caller's names to its versions, newest first", async () => {
    const fresh = (await t.appAuth('lister')).authorization;
    await save('b-name', 'b1', fresh).expect(200);
    await save('a-name', 'a1', fresh).expect(200);
    await save('a-name', 'a2', fresh).expect(200);
    const res = await t.http.get('/prompt/template/list').set('authorization', fresh).expect(200);
    assert.deepEqual(res.body, {
      'a-name': [{ version: 2, prompt_template: 'a2' }, { version: 1, prompt_template: 'a1' }],
      'b-name': [{ version: 1, prompt_template: 'b1' }],
    });
  });

  it('returns 401 with an invalid token', async () => {
    expectProblem(await t.http.get('/prompt/template/list').set('authorization', 'Bearer abc.def.ghi'), 401, 'INVALID_TOKEN');
  });
});

describe('listPromptTemplates', () => {
  it('pages through the names with a cursor', async () => {
    const fresh = (await t.appAuth('pager')).authorization;
    for (const name of ['n1', 'n2', 'n3']) await save(name, 'x', fresh).expect(200);
    await post('/prompt/template/label', { name: 'n2', label: 'production', version: 1 }, fresh).expect(200);
    const first = await t.http.get('/prompt/templates?limit=2').set('authorization', fresh).expect(200);
    assert.deepEqual(first.body.items.map((i: { name: string }) => i.name), ['n1', 'n2']);
    assert.deepEqual(first.body.items[1].labels, { production: 1 });
    assert.equal(typeof first.body.next, 'string');
    const second = await t.http.get(`/prompt/templates?limit=2&cursor=${first.body.next}`).set('authorization', fresh).expect(200);
    assert.deepEqual(second.body.items.map((i: { name: string }) => i.name), ['n3']);
    assert.equal(second.body.next, null);
  });

  it('returns 400 for a limit over 100 and for a forged cursor', async () => {
    expectProblem(await t.http.get('/prompt/templates?limit=101').set('authorization', auth), 400, 'VALIDATION_ERROR');
    expectProblem(await t.http.get('/prompt/templates?cursor=%%%').set('authorization', auth), 400, 'VALIDATION_ERROR');
  });

  it('returns 400 for an unknown query parameter', async () => {
    expectProblem(await t.http.get('/prompt/templates?owner=x').set('authorization', auth), 400, 'VALIDATION_ERROR');
  });
});

describe('getPromptServiceHealth', () => {
  it('answers UP with a token', async () => {
    const res = await t.http.get('/prompt/service/health').set('authorization', auth).expect(200);
    assert.deepEqual(res.body, { status: 'UP' });
  });

  it('returns 401 without a token', async () => {
    expectProblem(await t.http.get('/prompt/service/health'), 401, 'UNAUTHENTICATED');
  });
});
