// The front door a newcomer opens: GET / lands on the API reference, /openapi/ lists the specs,
// and the reference renders in a real browser (Debian's chromium, headless) without a single
// request to anything but the platform — it must work offline and must not phone home.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium, platformOnlyContext } from './helpers/browser.ts';
import { listen, startTestPlatform, type TestPlatform } from './helpers/platform.ts';

const PLATFORM_TITLE = 'GenAI Foundations API';
const SERVICES = ['admin', 'auth', 'document', 'model', 'openai', 'prompt', 'vector'];

let t: TestPlatform;
let server: Awaited<ReturnType<typeof listen>>;
let baseUrl: string;
let browser: Browser;

before(async () => {
  t = await startTestPlatform();
  server = await listen(t.platform.handler);
  baseUrl = server.baseUrl;
});
after(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

it('redirects GET / to the API reference and lists the service specs at /openapi/', async () => {
  const root = await fetch(`${baseUrl}/`, { redirect: 'manual' });
  assert.equal(root.status, 302);
  assert.equal(root.headers.get('location'), '/docs/');

  for (const path of ['/openapi/', '/openapi']) {
    const res = await fetch(`${baseUrl}${path}`);
    assert.equal(res.status, 200, path);
    assert.match(String(res.headers.get('content-type')), /^application\/json/);
    assert.deepEqual(await res.json(), {
      specs: SERVICES.map((service) => ({ service, url: `/openapi/${service}.json` })),
    }, path);
  }
  for (const service of SERVICES) {
    const spec = await (await fetch(`${baseUrl}/openapi/${service}.json`)).json() as { openapi: string };
    assert.match(spec.openapi, /^3\./, service);
  }
  // The temporary joined spec of `npm run generate` is never served; unknown paths stay problems.
  for (const path of ['/openapi/.platform.json', '/nowhere']) {
    const res = await fetch(`${baseUrl}${path}`);
    assert.equal(res.status, 404, path);
    assert.match(String(res.headers.get('content-type')), /^application\/problem\+json/, path);
  }
});

it('renders the API reference from / with no request to any other origin', { timeout: 60_000 }, async () => {
  browser = await launchChromium();
  const { context, foreign } = await platformOnlyContext(browser, baseUrl);
  const failed: string[] = [];
  context.on('requestfailed', (request) => failed.push(`${request.url()}: ${request.failure()?.errorText}`));
  const page = await context.newPage();
  page.on('websocket', (ws) => foreign.add(ws.url()));
  page.setDefaultTimeout(15_000);

  await page.goto(`${baseUrl}/`, { waitUntil: 'load' });
  assert.equal(new URL(page.url()).pathname, '/docs/');
  assert.equal(await page.title(), PLATFORM_TITLE);

  // The sidebar and the intro describe the platform, not the first joined spec.
  const sidebar = page.locator('.menu-content');
  await sidebar.getByText(PLATFORM_TITLE, { exact: true }).waitFor();
  const sidebarText = await sidebar.innerText();
  assert.ok(
    sidebarText.indexOf(PLATFORM_TITLE) < sidebarText.indexOf('Auth service'),
    `the platform comes first in the sidebar:\n${sidebarText}`,
  );
  assert.equal(sidebarText.split('Auth service').length - 1, 1, 'the auth service appears once in the sidebar');
  await page.getByRole('heading', { name: PLATFORM_TITLE }).first().waitFor();
  await page.getByText('GET /healthz', { exact: true }).waitFor();

  // The page is hydrated, not just server-rendered: navigating the sidebar renders an operation.
  await sidebar.getByText('Invocation', { exact: true }).click();
  await sidebar.getByText('Invoke a text model', { exact: true }).click();
  // (The heading's accessible name also holds its anchor link's label, hence the text filter.)
  await page.locator('h2').filter({ hasText: /^Invoke a text model$/ }).waitFor();
  await page.getByText('/model/invoke', { exact: true }).first().waitFor();
  assert.match(page.url(), /\/docs\/#.*invokemodel/i);

  // Leaving the page is when pending beacons/telemetry would go out.
  await page.goto('about:blank');
  await context.close();
  assert.deepEqual([...foreign], [], 'requests to other origins');
  assert.deepEqual(failed, [], 'failed requests');
});
