// Debian's chromium, headless, for the tests that need a real browser (API reference, admin portal).
// Every request is routed: anything not addressed to the platform is recorded and aborted, so
// nothing leaves the machine and a test can assert that the page asked no other origin.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

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

/** A context where only `baseUrl` is reachable; `foreign` collects every other URL asked for. */
export async function platformOnlyContext(browser: Browser, baseUrl: string): Promise<{ context: BrowserContext; foreign: Set<string> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
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
