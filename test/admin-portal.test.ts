// The admin portal in a real browser (Debian's chromium, headless) against the real platform: an
// admin signs in, onboards an app and sees its secret once, the app calls a model with it, the
// call shows up on the usage dashboard, and deactivating the app in the portal refuses its token.
// Nothing is requested from any other origin. Screenshots go to test-results/portal/ (gitignored).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import type { Browser } from 'playwright-core';
import { expectAccessible, launchChromium, platformOnlyContext } from './helpers/browser.ts';
import { ADMIN, listen, startTestPlatform, type TestPlatform } from './helpers/platform.ts';
import { startFakeOpenAi, type FakeOpenAi } from './helpers/fake-openai.ts';

const SCREENSHOTS = new URL('../test-results/portal/', import.meta.url).pathname;

let upstream: FakeOpenAi;
let t: TestPlatform;
let server: Awaited<ReturnType<typeof listen>>;
let baseUrl: string;
let browser: Browser;

before(async () => {
  upstream = await startFakeOpenAi();
  // Listening first, so PUBLIC_URL (which signed upload URLs carry) is the page's own origin.
  let handler: RequestListener | undefined;
  server = await listen((req, res) => handler!(req, res));
  baseUrl = server.baseUrl;
  t = await startTestPlatform({ OPENAI_BASE_URL: upstream.url, OPENAI_MODELS: 'echo', PUBLIC_URL: baseUrl });
  handler = t.platform.handler;
});
after(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
  await upstream?.close();
});

it('serves the portal with a strict content security policy, at /portal/', async () => {
  const redirect = await fetch(`${baseUrl}/portal`, { redirect: 'manual' });
  assert.equal(redirect.headers.get('location'), '/portal/');
  const page = await fetch(`${baseUrl}/portal/`);
  assert.equal(page.status, 200);
  assert.match(String(page.headers.get('content-security-policy')), /default-src 'self'; script-src 'self'/);
  assert.match(await page.text(), /<div id="app">/);
});

it('signs in, onboards an app, shows its secret once, charts its call, and deactivates it', { timeout: 180_000 }, async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
  const { context, foreign } = await platformOnlyContext(browser, baseUrl, { bypassCSP: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.setDefaultTimeout(15_000);

  // Sign in: a wrong password shows the API's problem detail, the right one opens the portal.
  await page.goto(`${baseUrl}/portal/`);
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}sign-in.png` });
  await expectAccessible(page, 'sign-in');
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Applications', level: 1 }).waitFor();

  // Onboard: the secret is shown once, with a copy button and the warning.
  await page.getByLabel('Name').fill('browser-app');
  await page.getByLabel('Description').fill('Onboarded in the browser test');
  await page.getByRole('button', { name: 'Onboard' }).click();
  await page.getByText('you will not see it again').waitFor();
  const clientId = (await page.getByTestId('client-id').textContent())!;
  const clientSecret = (await page.getByTestId('client-secret').textContent())!;
  await page.getByRole('button', { name: 'Copy secret' }).click();
  await page.getByText('Secret copied to the clipboard.').waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), clientSecret);
  await page.screenshot({ path: `${SCREENSHOTS}applications-secret.png` });
  await expectAccessible(page, 'applications');
  await page.getByRole('button', { name: 'I have stored the secret' }).click();
  await page.reload();
  await page.locator('tr[data-app="browser-app"]').waitFor();
  assert.ok(!(await page.content()).includes(clientSecret), 'the secret is not shown again');

  // Limits: set one, and it is listed with the app.
  await page.getByRole('button', { name: 'Limits of browser-app' }).click();
  await page.getByRole('form', { name: 'Limits of browser-app' }).getByLabel('Requests per minute').fill('600');
  await page.getByRole('button', { name: 'Save limits' }).click();
  await page.getByText('Limits saved.').waitFor();
  const apps = (await t.http.get('/admin/platform/get_all_app_clients').set('cookie', await t.adminCookie())).body as { limits: { requests_per_minute: number } }[];
  const [listed] = apps;
  assert.equal(listed?.limits.requests_per_minute, 600);

  // API keys: issue one (shown once, with the warning), then revoke it after a confirmation.
  await page.getByRole('button', { name: 'API keys of browser-app' }).click();
  const keys = page.getByRole('region', { name: 'API keys of browser-app' });
  await keys.getByText('No API key yet.').waitFor();
  await keys.getByLabel('Key name').fill('portal key');
  await keys.getByLabel(/^Models/).fill('echo');
  await keys.getByRole('button', { name: 'Issue key' }).click();
  await keys.getByText('you will not see it again').waitFor();
  const apiKey = (await keys.getByTestId('api-key').textContent())!;
  assert.match(apiKey, /^gaf_sk_/);
  await keys.locator('tr[data-key="portal key"] .badge').filter({ hasText: 'active' }).waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}api-keys.png`, fullPage: true });
  await expectAccessible(page, 'API keys');
  await keys.getByRole('button', { name: 'I have stored the API key' }).click();
  assert.equal((await fetch(`${baseUrl}/v1/models`, { headers: { authorization: `Bearer ${apiKey}` } })).status, 200);
  await keys.getByRole('button', { name: 'Revoke key portal key' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
  await keys.locator('tr[data-key="portal key"] .badge').filter({ hasText: 'revoked' }).waitFor();
  assert.equal((await fetch(`${baseUrl}/v1/models`, { headers: { authorization: `Bearer ${apiKey}` } })).status, 401);

  // The app, with its own credentials, gets a token and calls a model.
  const token = await appToken(clientId, clientSecret);
  assert.equal((await invoke(token)).status, 200);

  // The usage dashboard shows the call: totals, charts and the per-app breakdown.
  await page.getByRole('link', { name: 'Usage' }).click();
  await page.getByTestId('total-calls').filter({ hasText: /^1$/ }).waitFor();
  await page.getByRole('figure').filter({ hasText: 'Calls and errors' }).locator('canvas').waitFor();
  await page.getByRole('row').filter({ hasText: 'browser-app' }).waitFor();
  await page.getByRole('row').filter({ hasText: 'echo (model)' }).waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}usage.png`, fullPage: true });
  await expectAccessible(page, 'usage');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: `${SCREENSHOTS}usage-dark.png`, fullPage: true });
  await expectAccessible(page, 'usage, dark theme');
  await page.emulateMedia({ colorScheme: 'light' });

  // Jobs: a background invocation (the fake upstream answers after a while) moves from open to
  // finished on the page without a reload.
  const submitted = await fetch(`${baseUrl}/model/async_invoke`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model_name: 'echo', prompt: 'sleep 2500', max_tokens: 5 }),
  });
  assert.equal(submitted.status, 200);
  await page.getByRole('link', { name: 'Jobs' }).click();
  const job = page.locator('tr').filter({ hasText: 'model-invocation' });
  await job.locator('.badge').filter({ hasText: /QUEUED|IN_PROGRESS/ }).waitFor();
  await job.getByText('0 of 1').waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}jobs.png` });
  await expectAccessible(page, 'jobs');
  await job.locator('.badge').filter({ hasText: 'COMPLETED' }).waitFor();
  await job.getByText('1 of 1').waitFor();

  // Prompts: the app's templates, read-only, with its versions, labels and a line diff.
  for (const text of ['Hello {{who}}.\nBe brief.', 'Hello {{who}}.\nBe thorough.']) {
    const saved = await appCall(token, '/prompt/template/save', { name: 'greeting', prompt_template: text });
    assert.equal(saved.status, 200);
  }
  assert.equal((await appCall(token, '/prompt/template/label', { name: 'greeting', label: 'production', version: 1 })).status, 200);
  await page.getByRole('link', { name: 'Prompts' }).click();
  await page.locator('tr[data-template="greeting"]').getByText('production → v1').waitFor();
  await page.getByRole('button', { name: 'Versions of greeting' }).click();
  const diff = page.getByRole('table', { name: 'Changes from v1 to v2' });
  await diff.locator('tr.removed').filter({ hasText: 'Be brief.' }).waitFor();
  await diff.locator('tr.added').filter({ hasText: 'Be thorough.' }).waitFor();
  assert.equal(await diff.locator('tr.same').count(), 1);
  await page.screenshot({ path: `${SCREENSHOTS}prompts.png`, fullPage: true });
  await expectAccessible(page, 'prompts');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectAccessible(page, 'prompts, dark theme');
  await page.emulateMedia({ colorScheme: 'light' });

  // Playground: a playground token for the app, a rendered prompt, a model call, every exchange shown.
  await page.getByRole('link', { name: 'Playground' }).click();
  await page.getByRole('button', { name: 'Get a playground token' }).click();
  await page.getByText('Calling as browser-app').waitFor();
  await page.getByLabel('Template name').fill('greeting');
  await page.getByLabel('Variables (JSON)').fill('{"who": "Ada"}');
  await page.getByRole('button', { name: 'Render' }).click();
  await page.getByText('Version 2, used as the prompt below').waitFor();
  await page.getByRole('combobox', { name: /^Model/ }).selectOption('echo');
  await page.getByRole('button', { name: 'Invoke' }).click();
  await page.getByTestId('answer').filter({ hasText: 'Hello Ada.' }).waitFor();
  await page.locator('details[data-exchange="POST /model/invoke"] .badge').filter({ hasText: '200' }).waitFor();
  await page.locator('details[data-exchange="POST /prompt/template/render"]').waitFor();
  const notes = 'Invoices are due within 30 days.\n\nLate invoices accrue interest of one percent a month.';
  await page.getByLabel(/^File/).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from(notes) });
  await page.getByRole('button', { name: 'Upload and extract' }).click();
  await page.getByText('Extraction COMPLETED: 1 page of notes.txt.').waitFor({ timeout: 60_000 });
  await page.getByTestId('extracted').filter({ hasText: 'Invoices are due within 30 days.' }).waitFor();
  await page.getByLabel('Chunk size').fill('60');
  await page.getByRole('button', { name: 'Chunk', exact: true }).click();
  await page.getByText(/^Chunking COMPLETED: [2-9] chunks\.$/).waitFor({ timeout: 60_000 });
  await page.locator('details[data-exchange^="PUT "] .badge').filter({ hasText: '200' }).waitFor();
  // The vector step: a store, an index and a vectorisation job from those chunks, then a search
  // whose hits become the cited sources of the model's prompt (the echo model answers with it).
  await page.getByRole('button', { name: 'Index the chunks' }).click();
  await page.getByText('Vectorisation COMPLETED.').waitFor({ timeout: 60_000 });
  await page.getByLabel('Question', { exact: true }).fill('When are invoices due?');
  await page.getByRole('button', { name: 'Search and answer' }).click();
  await page.getByTestId('cited-answer').filter({ hasText: '(notes.txt, p. 1)' }).waitFor();
  await page.locator('details[data-exchange="POST /vector/search"] .badge').filter({ hasText: '200' }).waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}playground.png`, fullPage: true });
  await expectAccessible(page, 'playground');

  await page.getByRole('link', { name: 'Health' }).click();
  await page.getByText('Model Invocation Service').first().waitFor();
  await page.locator('tr[data-breaker="openai/echo"] .badge').filter({ hasText: 'closed' }).waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}health.png` });
  await expectAccessible(page, 'health');

  // Deactivate in the portal: the app's token is refused at once.
  await page.getByRole('link', { name: 'Applications' }).click();
  await page.getByRole('button', { name: 'Deactivate browser-app' }).click();
  await page.locator('tr[data-app="browser-app"] .badge').filter({ hasText: 'inactive' }).waitFor();
  const refused = await invoke(token);
  assert.equal(refused.status, 401);
  assert.equal((await refused.json()).code, 'APP_INACTIVE');

  // Rotating asks first, then shows the new secret once.
  await page.getByRole('button', { name: 'Rotate secret of browser-app' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
  await page.getByText('you will not see it again').waitFor();
  assert.notEqual(await page.getByTestId('client-secret').textContent(), clientSecret);

  // Delete asks first; cancelling keeps the app.
  await page.getByRole('button', { name: 'Delete browser-app' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await page.locator('tr[data-app="browser-app"]').waitFor();
  await page.getByRole('button', { name: 'Delete browser-app' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete application' }).click();
  await page.locator('tr[data-app="browser-app"]').waitFor({ state: 'detached' });

  // Half a laptop screen: every page fits the window's width (wide tables scroll inside their card).
  await page.setViewportSize({ width: 720, height: 900 });
  for (const name of ['Applications', 'Usage', 'Jobs', 'Prompts', 'Playground', 'Health']) {
    await page.getByRole('link', { name, exact: true }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(scrollWidth <= innerWidth, `${name} is ${scrollWidth} px wide in a ${innerWidth} px window`);
  }
  await page.screenshot({ path: `${SCREENSHOTS}health-narrow.png`, fullPage: true });

  await context.close();
  assert.deepEqual([...foreign], [], 'requests to other origins');
  assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
});

async function appToken(clientId: string, clientSecret: string): Promise<string> {
  const res = await fetch(`${baseUrl}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  assert.equal(res.status, 200);
  return ((await res.json()) as { access_token: string }).access_token;
}

const appCall = (token: string, path: string, body: object) => fetch(`${baseUrl}${path}`, {
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const invoke = (token: string) => fetch(`${baseUrl}/model/invoke`, {
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
  body: JSON.stringify({ model_name: 'echo', prompt: 'Hello from the portal test', max_tokens: 20 }),
});
