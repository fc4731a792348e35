// Cognito sign-in in the portal, in Debian's chromium, against a stand-in admin pool on loopback:
// its /oauth2/authorize sends the browser back with a code, its /oauth2/token gives an ID token
// only for the code with the verifier whose S256 challenge the portal sent, and its JWKS verifies it.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { Browser } from 'playwright-core';
import { expectAccessible, launchChromium } from './helpers/browser.ts';
import { listen, startTestPlatform, type TestPlatform } from './helpers/platform.ts';

const SCREENSHOTS = new URL('../test-results/portal/', import.meta.url).pathname;
const CLIENT_ID = 'portalclient01';

let pool: Server;
let poolUrl: string;
let t: TestPlatform;
let server: Awaited<ReturnType<typeof listen>>;
let browser: Browser;
/** What the pool saw: the authorize request's query, then whether the token request proved the verifier. */
const seen: { authorize?: URLSearchParams; verifierMatched?: boolean } = {};

before(async () => {
  const keys = await generateKeyPair('RS256');
  const jwks = { keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
  pool = createServer(async (req, res) => {
    const url = new URL(req.url!, poolUrl);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const json = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/oauth2/authorize') {
      seen.authorize = url.searchParams;
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.search = new URLSearchParams({ code: 'the-code', state: url.searchParams.get('state')! }).toString();
      return res.writeHead(302, { location: back.href }).end();
    }
    if (url.pathname === '/pool/.well-known/jwks.json') return json(200, jwks);
    if (url.pathname === '/oauth2/token' && req.method === 'POST') {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      seen.verifierMatched = createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') === seen.authorize?.get('code_challenge');
      if (form.get('code') !== 'the-code' || !seen.verifierMatched || form.get('redirect_uri') !== seen.authorize?.get('redirect_uri')) return json(400, { error: 'invalid_grant' });
      const now = Math.floor(Date.now() / 1000);
      const idToken = await new SignJWT({ token_use: 'id', email: 'ops@example.com', sub: 'u1' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(`${poolUrl}/pool`).setAudience(CLIENT_ID).setIssuedAt(now).setExpirationTime(now + 600)
        .sign(keys.privateKey);
      return json(200, { id_token: idToken, access_token: 'opaque', token_type: 'Bearer', expires_in: 600 });
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => pool.listen(0, '127.0.0.1', resolve));
  poolUrl = `http://127.0.0.1:${(pool.address() as AddressInfo).port}`;
  let handler: RequestListener | undefined;
  server = await listen((req, res) => handler!(req, res));
  t = await startTestPlatform({ PUBLIC_URL: server.baseUrl, COGNITO_ADMIN_CLIENT_ID: CLIENT_ID, COGNITO_ADMIN_DOMAIN: poolUrl, COGNITO_ADMIN_ISSUER: `${poolUrl}/pool` });
  handler = t.platform.handler;
});
after(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
  await new Promise((resolve) => pool?.close(resolve));
});

it('signs an administrator in through the admin pool with code + PKCE', { timeout: 60_000 }, async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const foreign: string[] = [];
  await context.route('**', (route) => {
    const { origin } = new URL(route.request().url());
    if (origin === server.baseUrl || origin === poolUrl) return route.continue();
    foreign.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${server.baseUrl}/portal/`);
  await page.getByRole('button', { name: 'Sign in with the admin pool' }).waitFor();
  await page.screenshot({ path: `${SCREENSHOTS}sign-in-cognito.png` });
  await expectAccessible(page, 'sign-in with the admin pool');
  await page.getByRole('button', { name: 'Sign in with the admin pool' }).click();
  await page.getByRole('heading', { name: 'Applications', level: 1 }).waitFor();
  await page.getByText('ops@example.com').waitFor();

  const authorize = Object.fromEntries(seen.authorize!);
  assert.deepEqual({ ...authorize, state: '-', code_challenge: '-' }, {
    response_type: 'code', client_id: CLIENT_ID, redirect_uri: `${server.baseUrl}/portal/`, scope: 'openid email',
    state: '-', code_challenge: '-', code_challenge_method: 'S256',
  });
  assert.equal(seen.verifierMatched, true);
  assert.equal(new URL(page.url()).search, '', 'the code is not left in the address bar');
  assert.deepEqual(foreign, []);
  await context.close();
});
