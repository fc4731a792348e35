import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

let t: TestPlatform;
let app: { app_id: string; client_id: string; client_secret: string };

before(async () => {
  t = await startTestPlatform();
  app = await t.onboardApp('auth-app');
});
after(() => t.close());

const token = () => t.http.post('/oauth2/token').type('form');

function expectOAuthError(res: { status: number; body: { error?: string }; headers: Record<string, string> }, status: number, error: string) {
  assert.equal(res.status, status);
  assert.equal(res.body.error, error);
  assert.match(res.headers['content-type']!, /^application\/json/);
  assert.equal(res.headers['cache-control'], 'no-store');
}

describe('issueAccessToken', () => {
  it('issues a signed access token for credentials in a Basic header', async () => {
    const res = await token().auth(app.client_id, app.client_secret).send({ grant_type: 'client_credentials' }).expect(200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.expires_in, 3600);
    assert.equal(res.body.scope, 'genaifoundations/read');
    const claims = decodeJwt(res.body.access_token);
    assert.equal(claims.iss, t.config.publicUrl);
    assert.equal(claims.client_id, app.client_id);
    assert.equal(claims.token_use, 'access');
    assert.equal(claims.scope, 'genaifoundations/read');
    assert.equal(typeof claims.jti, 'string');
    assert.equal(claims.exp! - claims.iat!, 3600);
    assert.equal(decodeProtectedHeader(res.body.access_token).alg, 'RS256');
  });

  it('accepts the credentials as form fields', async () => {
    await token().send({ grant_type: 'client_credentials', client_id: app.client_id, client_secret: app.client_secret }).expect(200);
  });

  it('issues different token ids for each request', async () => {
    const a = await token().auth(app.client_id, app.client_secret).send({ grant_type: 'client_credentials' });
    const b = await token().auth(app.client_id, app.client_secret).send({ grant_type: 'client_credentials' });
    assert.notEqual(decodeJwt(a.body.access_token).jti, decodeJwt(b.body.access_token).jti);
  });

  it('returns 401 invalid_client for a wrong secret, with a Basic challenge', async () => {
    const res = await token().auth(app.client_id, 'wrong').send({ grant_type: 'client_credentials' });
    expectOAuthError(res, 401, 'invalid_client');
    assert.match(res.headers['www-authenticate']!, /^Basic/);
  });

  it('returns 401 invalid_client for an unknown client and for no credentials', async () => {
    expectOAuthError(await token().auth('gaf_unknown', 'x').send({ grant_type: 'client_credentials' }), 401, 'invalid_client');
    expectOAuthError(await token().send({ grant_type: 'client_credentials' }), 401, 'invalid_client');
  });

  it('accepts Basic credentials with the same client_id in the body (Cognito\'s documented request)', async () => {
    const res = await token().auth(app.client_id, app.client_secret)
      .send({ grant_type: 'client_credentials', client_id: app.client_id, scope: 'genaifoundations/read' }).expect(200);
    assert.equal(decodeJwt(res.body.access_token).client_id, app.client_id);
  });

  it('returns 400 invalid_request for a secret both in Basic and in the body', async () => {
    const res = await token().auth(app.client_id, app.client_secret)
      .send({ grant_type: 'client_credentials', client_id: app.client_id, client_secret: app.client_secret });
    expectOAuthError(res, 400, 'invalid_request');
    expectOAuthError(await token().auth(app.client_id, app.client_secret)
      .send({ grant_type: 'client_credentials', client_secret: app.client_secret }), 400, 'invalid_request');
  });

  it('returns 400 invalid_request for a body client_id that differs from the Basic one', async () => {
    const other = await t.onboardApp('auth-other');
    const res = await token().auth(app.client_id, app.client_secret).send({ grant_type: 'client_credentials', client_id: other.client_id });
    expectOAuthError(res, 400, 'invalid_request');
    assert.match(res.body.error_description, /differs/);
  });

  it('returns 400 unsupported_grant_type for another grant and invalid_request for none', async () => {
    expectOAuthError(await token().auth(app.client_id, app.client_secret).send({ grant_type: 'password' }), 400, 'unsupported_grant_type');
    expectOAuthError(await token().auth(app.client_id, app.client_secret).send({}), 400, 'invalid_request');
  });

  it('returns 400 invalid_scope for a scope the platform does not have', async () => {
    expectOAuthError(await token().auth(app.client_id, app.client_secret).send({ grant_type: 'client_credentials', scope: 'admin' }), 400, 'invalid_scope');
  });

  it('ignores unrecognised parameters, as RFC 6749 requires', async () => {
    await token().auth(app.client_id, app.client_secret).send({ grant_type: 'client_credentials', audience: 'x' }).expect(200);
  });

  it('refuses a token to a deactivated application', async () => {
    const inactive = await t.onboardApp('inactive-app');
    await t.http.post('/admin/platform/deactivate_app_client').set('cookie', await t.adminCookie()).send({ app_id: inactive.app_id }).expect(200);
    expectOAuthError(await token().auth(inactive.client_id, inactive.client_secret).send({ grant_type: 'client_credentials' }), 401, 'invalid_client');
  });

  it('returns 415 for a JSON body', async () => {
    expectProblem(await t.http.post('/oauth2/token').send({ grant_type: 'client_credentials' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('getJsonWebKeySet', () => {
  it('publishes the RS256 public key without any private part', async () => {
    const res = await t.http.get('/.well-known/jwks.json').expect(200);
    assert.equal(res.body.keys.length, 1);
    const [key] = res.body.keys;
    assert.equal(key.kty, 'RSA');
    assert.equal(key.alg, 'RS256');
    assert.equal(key.use, 'sig');
    for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(key[secret], undefined);
  });

  it('keeps the same key across restarts of the platform', async () => {
    const before = (await t.http.get('/.well-known/jwks.json')).body.keys[0].kid;
    const again = await startTestPlatform({}, t.dataDir);
    try {
      assert.equal((await again.http.get('/.well-known/jwks.json')).body.keys[0].kid, before);
    } finally {
      await again.platform.close();
    }
  });
});

describe('getOpenIdConfiguration', () => {
  it('names the issuer, the token endpoint and the key set', async () => {
    const res = await t.http.get('/.well-known/openid-configuration').expect(200);
    assert.equal(res.body.issuer, t.config.publicUrl);
    assert.equal(res.body.token_endpoint, `${t.config.publicUrl}/oauth2/token`);
    assert.equal(res.body.jwks_uri, `${t.config.publicUrl}/.well-known/jwks.json`);
    assert.deepEqual(res.body.grant_types_supported, ['client_credentials']);
  });
});
