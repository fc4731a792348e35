// Admin sign-in through the Cognito admin pool, against a stand-in pool on loopback: a real HTTP
// server with a token endpoint (authorization code + PKCE) and a JWKS, signing ID tokens with a
// key of its own. The platform must open its session only for an ID token that verifies.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const CLIENT_ID = 'adminportalclient01';
const REDIRECT = 'https://admin.example.com/callback';
const VERIFIER = 'v'.repeat(43);

/** What the stand-in pool's token endpoint answers for one code (set per test). */
let answer: (form: URLSearchParams) => Promise<{ status: number; body: object }>;
let pool: Server;
let issuer: string;
let signingKey: CryptoKey;
let strangerKey: CryptoKey;
let t: TestPlatform;

const idToken = (claims: JWTPayload, { key = signingKey, kid = 'pool-key' } = {}) => {
  const now = Math.floor(Date.now() / 1000);
  const payload = { token_use: 'id', email: 'ops@example.com', iss: issuer, aud: CLIENT_ID, sub: 'a1b2c3', iat: now, exp: now + 3600, ...claims };
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
};

/** The pool answers the code with this ID token, once the grant's parameters are what the platform must send. */
const issues = (token: () => Promise<string>) => {
  answer = async (form) => {
    const expected = { grant_type: 'authorization_code', client_id: CLIENT_ID, code: 'the-code', code_verifier: VERIFIER, redirect_uri: REDIRECT };
    const sorted = (entries: Iterable<[string, string]>) => JSON.stringify([...entries].sort(([a], [b]) => a.localeCompare(b)));
    if (sorted(form) !== sorted(Object.entries(expected))) {
      return { status: 400, body: { error: 'invalid_grant' } };
    }
    return { status: 200, body: { id_token: await token(), access_token: 'opaque', token_type: 'Bearer', expires_in: 3600 } };
  };
};

before(async () => {
  const keys = await generateKeyPair('RS256');
  signingKey = keys.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const jwks = { keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'pool-key', alg: 'RS256', use: 'sig' }] };
  pool = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const reply = (status: number, body: object) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.method === 'GET' && req.url === `${new URL(issuer).pathname}/.well-known/jwks.json`) return reply(200, jwks);
    if (req.method === 'POST' && req.url === '/oauth2/token' && req.headers['content-type'] === 'application/x-www-form-urlencoded') {
      const { status, body } = await answer(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      return reply(status, body);
    }
    reply(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => pool.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(pool.address() as AddressInfo).port}`;
  issuer = `${base}/eu-west-1_AdminPool`;
  t = await startTestPlatform({ LOG_LEVEL: 'error', COGNITO_ADMIN_CLIENT_ID: CLIENT_ID, COGNITO_ADMIN_DOMAIN: base, COGNITO_ADMIN_ISSUER: issuer });
});
after(async () => {
  await t.close();
  pool.closeAllConnections();
  await new Promise((resolve) => pool.close(resolve));
});

const signIn = (body: object = { code: 'the-code', code_verifier: VERIFIER, redirect_uri: REDIRECT }) => t.http.post('/admin/auth/cognito').send(body);

describe('admin sign-in through the Cognito admin pool', () => {
  it('exchanges the code with its PKCE verifier and opens the same HttpOnly session as the password sign-in', async () => {
    issues(() => idToken({}));
    const res = await signIn();
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.username, 'ops@example.com');
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0]!;
    assert.match(cookie, /^gaf_admin_session=[^;]+;.*HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const status = await t.http.get('/admin/auth/status').set('cookie', cookie.split(';')[0]!).expect(200);
    assert.equal(status.body.username, 'ops@example.com');
    // The administrator recorded for the session has no password: the password sign-in cannot use it.
    expectProblem(await t.http.post('/admin/auth/login').send({ username: 'ops@example.com', password: 'federated' }), 401, 'INVALID_CREDENTIALS');
    assert.equal((await signIn().expect(200)).body.username, 'ops@example.com', 'and a second sign-in reuses it');
  });

  it('refuses a code the pool does not accept', async () => {
    issues(() => idToken({}));
    expectProblem(await signIn({ code: 'another-code', code_verifier: VERIFIER, redirect_uri: REDIRECT }), 401, 'INVALID_CREDENTIALS');
  });

  const bad: [string, () => Promise<string>][] = [
    ['signed by another key', () => idToken({}, { key: strangerKey })],
    ['for another client', () => idToken({ aud: 'someoneelse' })],
    ['from another issuer', () => idToken({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' })],
    ['an access token', () => idToken({ token_use: 'access' })],
    ['expired', () => idToken({ exp: Math.floor(Date.now() / 1000) - 3600 })],
    ['without an e-mail', () => idToken({ email: undefined })],
  ];
  for (const [what, token] of bad) {
    it(`refuses an ID token ${what}, and opens no session`, async () => {
      issues(token);
      const res = await signIn();
      expectProblem(res, 401, 'INVALID_CREDENTIALS');
      assert.equal(res.headers['set-cookie'], undefined);
    });
  }

  it('answers 503 when the pool cannot be reached, and 404 where it is not configured (password sign-in stays)', async () => {
    answer = async () => ({ status: 500, body: {} });
    expectProblem(await signIn(), 503, 'BACKEND_UNAVAILABLE');
    const plain = await startTestPlatform();
    try {
      expectProblem(await plain.http.post('/admin/auth/cognito').send({ code: 'x', code_verifier: VERIFIER, redirect_uri: REDIRECT }), 404, 'SIGN_IN_NOT_CONFIGURED');
      assert.ok(await plain.adminCookie());
    } finally {
      await plain.close();
    }
  });
});
