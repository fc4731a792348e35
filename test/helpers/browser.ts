// Debian's chromium, headless, for the tests that need a real browser (API reference, admin portal).
// Every request is routed: anything not addressed to the platform is recorded and aborted, so
// nothing leaves the machine and a test can assert that the page asked no other origin.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Fails (never skips) without a browser: such a test would prove nothing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
      '--disable-component-update', '--disable-sync', '--disable-quic', '--disable-dev-shm-usage',
    ],
  });
}

/**
 * A context where only `baseUrl` is reachable; `foreign` collects every other URL asked for.
 * `bypassCSP` lets a test inject axe-core (expectAccessible), which the pages' policy would block.
 */
export async function platformOnlyContext(browser: Browser, baseUrl: string, options: { bypassCSP?: boolean } = {}): Promise<{ context: BrowserContext; foreign: Set<string> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const foreign = new Set<string>();
  await context.route('**', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === baseUrl) return route.continue();
    foreign.add(url);
    return route.abort();
  });
  context.on('request', (request) => {
    if (!request.url().startsWith(`${baseUrl}/`)) foreign.add(request.url());
  });
  return { context, foreign };
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Runs axe-core (WCAG 2 A and AA rules) on the page as it is now: no serious or critical violation. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const { violations } = await (window as unknown as { axe: { run(o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } })
      .axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, [], `accessibility violations on ${label}`);
}
