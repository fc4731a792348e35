// The verifier in front of every application route: each way a token can be wrong is refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, generateKeyPair, type JWTPayload } from 'jose';
import { createHmac, randomUUID } from 'node:crypto';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { loadOrCreateSigningKeys, type SigningKeys } from '../../handlers/platform/auth/signing-keys.ts';

let t: TestPlatform;
let keys: SigningKeys;
let app: { app_id: string; client_id: string; client_secret: string };

before(async () => {
  t = await startTestPlatform();
  keys = await loadOrCreateSigningKeys(t.dataDir);
  app = await t.onboardApp('verifier-app');
});
after(() => t.close());

const now = () => Math.floor(Date.now() / 1000);
const claims = (overrides: JWTPayload = {}): JWTPayload => ({
  iss: t.config.publicUrl, sub: app.client_id, client_id: app.client_id, scope: 'genaifoundations/read',
  token_use: 'access', iat: now(), exp: now() + 600, jti: randomUUID(), ...overrides,
});
const sign = (payload: JWTPayload, key = keys.privateKey, kid = keys.kid) =>
  new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid }).sign(key);
const call = (token: string) => t.http.get('/prompt/template/list').set('authorization', `Bearer ${token}`);
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access token verification', () => {
  it('accepts a well-formed token signed by the platform', async () => {
    await call(await sign(claims())).expect(200);
  });

  it('rejects an expired token', async () => {
    const body = expectProblem(await call(await sign(claims({ iat: now() - 7200, exp: now() - 3600 }))), 401, 'INVALID_TOKEN');
    assert.match(body.detail, /expired/);
  });

  it('rejects a token from another issuer', async () => {
    expectProblem(await call(await sign(claims({ iss: 'https://evil.example' }))), 401, 'INVALID_TOKEN');
  });

  it('rejects a token signed by another key that claims the same kid', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const res = await call(await sign(claims(), privateKey));
    const body = expectProblem(res, 401, 'INVALID_TOKEN');
    assert.match(body.detail, /signature/);
    assert.match(String(res.headers['www-authenticate']), /error="invalid_token"/);
  });

  it('rejects an unsigned token (alg: none)', async () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`;
    expectProblem(await call(token), 401, 'INVALID_TOKEN');
  });

  it('rejects an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const head = `${b64({ alg: 'HS256', kid: keys.kid })}.${b64(claims())}`;
    const mac = createHmac('sha256', JSON.stringify(keys.publicJwk)).update(head).digest('base64url');
    expectProblem(await call(`${head}.${mac}`), 401, 'INVALID_TOKEN');
  });

  it('rejects a token whose payload was altered after signing', async () => {
    const [head, , signature] = (await sign(claims())).split('.');
    expectProblem(await call(`${head}.${b64(claims({ client_id: 'gaf_someone_else' }))}.${signature}`), 401, 'INVALID_TOKEN');
  });

  it('rejects a token that is not an access token', async () => {
    expectProblem(await call(await sign(claims({ token_use: 'id' }))), 401, 'INVALID_TOKEN');
  });

  it('rejects a token without an expiry', async () => {
    const { exp: _exp, ...rest } = claims();
    expectProblem(await call(await sign(rest)), 401, 'INVALID_TOKEN');
  });

  it('rejects a token issued or valid only beyond the allowed clock skew in the future', async () => {
    const future = expectProblem(await call(await sign(claims({ iat: now() + 3600, exp: now() + 7200 }))), 401, 'INVALID_TOKEN');
    assert.match(future.detail, /iat/);
    expectProblem(await call(await sign(claims({ nbf: now() + 3600 }))), 401, 'INVALID_TOKEN');
    await call(await sign(claims({ iat: now() + 2 }))).expect(200); // within the skew
  });

  it('rejects a token issued longer ago than any issuer lets a token live, whatever its exp says', async () => {
    expectProblem(await call(await sign(claims({ iat: now() - 2 * 86_400, exp: now() + 600 }))), 401, 'INVALID_TOKEN');
  });

  it('rejects a token for a client that is not an onboarded app', async () => {
    expectProblem(await call(await sign(claims({ client_id: 'gaf_not_onboarded' }))), 401, 'INVALID_TOKEN');
  });

  it('answers 403 with the needed scope when the token lacks it', async () => {
    const res = await call(await sign(claims({ scope: 'something/else' })));
    expectProblem(res, 403, 'INSUFFICIENT_SCOPE');
    assert.match(String(res.headers['www-authenticate']), /error="insufficient_scope", scope="genaifoundations\/read"/);
  });

  it('answers 401 with a challenge for a missing or non-bearer Authorization header', async () => {
    for (const header of [undefined, 'Basic dXNlcjpwYXNz', 'Bearer', 'bearer  two words']) {
      const req = t.http.get('/prompt/template/list');
      const res = await (header ? req.set('authorization', header) : req);
      expectProblem(res, 401, 'UNAUTHENTICATED');
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="genai-foundations"');
    }
  });

  it('rejects a deactivated app at once, even with an unexpired token, and accepts it again when activated', async () => {
    const own = await t.onboardApp('toggled-app');
    const token = await t.tokenFor(own);
    const cookie = await t.adminCookie();
    await call(token).expect(200);
    await t.http.post('/admin/platform/deactivate_app_client').set('cookie', cookie).send({ app_id: own.app_id }).expect(200);
    expectProblem(await call(token), 401, 'APP_INACTIVE');
    await t.http.post('/admin/platform/activate_app_client').set('cookie', cookie).send({ app_id: own.app_id }).expect(200);
    await call(token).expect(200);
  });

  it('rejects the tokens of a deleted app', async () => {
    const own = await t.onboardApp('deleted-app');
    const token = await t.tokenFor(own);
    await t.http.post('/admin/platform/delete_app_client').set('cookie', await t.adminCookie()).send({ app_id: own.app_id }).expect(200);
    expectProblem(await call(token), 401, 'INVALID_TOKEN');
  });
});
