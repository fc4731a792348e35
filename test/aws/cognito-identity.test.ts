// IDENTITY=cognito: onboarding creates, (de)activates, rotates and deletes Cognito app clients
// (the Cognito API is mocked with aws-sdk-client-mock: it cannot run offline), and the services
// accept the user pool's access tokens, checked against its JWKS (served here in place of
// Cognito's endpoint) with every claim verified, and refuse a deactivated app at once.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair, exportJWK, SignJWT, type CryptoKey } from 'jose';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AddUserPoolClientSecretCommand, CognitoIdentityProviderClient, CreateUserPoolClientCommand, DeleteUserPoolClientCommand,
  DeleteUserPoolClientSecretCommand, ListUserPoolClientSecretsCommand, TooManyRequestsException, UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { expectProblem, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

const POOL = 'us-east-1_TestPool1';
const ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
const cognito = mockClient(CognitoIdentityProviderClient);
const realFetch = globalThis.fetch;
let jwksFetches = 0;
let key: CryptoKey;
let t: TestPlatform;

const token = (claims: Record<string, unknown>, { issuer = ISSUER, expiresIn = '1h' } = {}) =>
  new SignJWT({ token_use: 'access', scope: 'genaifoundations/read', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'cognito-key' })
    .setIssuer(issuer)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key);

before(async () => {
  const pair = await generateKeyPair('RS256');
  key = pair.privateKey;
  const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'cognito-key', alg: 'RS256', use: 'sig' }] };
  globalThis.fetch = async (input, init) => {
    if (String(input) === `${ISSUER}/.well-known/jwks.json`) {
      jwksFetches++;
      return Response.json(jwks);
    }
    return realFetch(input, init);
  };
  t = await startTestPlatform({ IDENTITY: 'cognito', COGNITO_USER_POOL_ID: POOL, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' });
});
after(async () => {
  globalThis.fetch = realFetch;
  cognito.restore();
  await t.close();
});

const admin = async (path: string, body: object) => t.http.post(path).set('cookie', await t.adminCookie()).send(body);

it('onboards an app as a Cognito client-credentials client and returns its secret once', async () => {
  cognito.on(CreateUserPoolClientCommand).resolves({ UserPoolClient: { ClientId: 'cognito-client-1', ClientSecret: 'cognito-secret-1' } });
  const res = await admin('/admin/platform/create_app_client', { app_name: 'Search bot', description: 'd' });
  assert.equal(res.status, 200);
  assert.equal(res.body.client_id, 'cognito-client-1');
  assert.equal(res.body.client_secret, 'cognito-secret-1');
  const input = cognito.commandCalls(CreateUserPoolClientCommand)[0]!.args[0].input;
  assert.equal(input.UserPoolId, POOL);
  assert.equal(input.GenerateSecret, true);
  assert.deepEqual(input.AllowedOAuthFlows, ['client_credentials']);
  assert.deepEqual(input.AllowedOAuthScopes, ['genaifoundations/read']);
  assert.equal(input.AllowedOAuthFlowsUserPoolClient, true);
  const listed = await t.http.get('/admin/platform/get_all_app_clients').set('cookie', await t.adminCookie()).expect(200);
  assert.ok(JSON.stringify(listed.body).includes('cognito-client-1'));
  assert.ok(!JSON.stringify(listed.body).includes('cognito-secret-1'), 'the secret is never listed');
});

it('accepts the pool\'s access tokens and checks every claim', async () => {
  const ok = await t.http.post('/prompt/template/save').set('authorization', `Bearer ${await token({ client_id: 'cognito-client-1' })}`).send({ name: 'n', prompt_template: 't' });
  assert.equal(ok.status, 200);
  assert.equal(jwksFetches, 1, 'the JWKS is fetched once and cached');
  const call = async (jwt: string) => t.http.post('/prompt/template/get').set('authorization', `Bearer ${jwt}`).send({ name: 'n' });
  assert.equal((await call(await token({ client_id: 'cognito-client-1' }))).status, 200);
  expectProblem(await call(await token({ client_id: 'cognito-client-1' }, { issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other' })), 401, 'INVALID_TOKEN');
  expectProblem(await call(await token({ client_id: 'cognito-client-1', token_use: 'id' })), 401, 'INVALID_TOKEN');
  expectProblem(await call(await token({ client_id: 'cognito-client-1' }, { expiresIn: '-1m' })), 401, 'INVALID_TOKEN');
  expectProblem(await call(await token({ client_id: 'never-onboarded' })), 401, 'INVALID_TOKEN');
  expectProblem(await call(await token({ client_id: 'cognito-client-1', scope: 'other/scope' })), 403, 'INSUFFICIENT_SCOPE');
  assert.equal(jwksFetches, 1);
});

it('deactivation turns the client\'s flows off in Cognito and refuses its current tokens at once', async () => {
  cognito.on(UpdateUserPoolClientCommand).resolves({});
  const jwt = await token({ client_id: 'cognito-client-1' });
  const apps = (await t.http.get('/admin/platform/get_all_app_clients').set('cookie', await t.adminCookie())).body;
  const appId = JSON.stringify(apps).match(/"app_id":"([^"]+)"/)![1]!;
  assert.equal((await admin('/admin/platform/deactivate_app_client', { app_id: appId })).status, 200);
  const update = cognito.commandCalls(UpdateUserPoolClientCommand).at(-1)!.args[0].input;
  assert.equal(update.ClientId, 'cognito-client-1');
  assert.equal(update.AllowedOAuthFlowsUserPoolClient, false);
  assert.deepEqual(update.AllowedOAuthScopes, ['genaifoundations/read'], 'the full settings are sent (Update resets the rest)');
  expectProblem(await t.http.post('/prompt/template/get').set('authorization', `Bearer ${jwt}`).send({ name: 'n' }), 401, 'APP_INACTIVE');

  assert.equal((await admin('/admin/platform/activate_app_client', { app_id: appId })).status, 200);
  assert.equal(cognito.commandCalls(UpdateUserPoolClientCommand).at(-1)!.args[0].input.AllowedOAuthFlowsUserPoolClient, true);
});

it('rotates the secret in Cognito, keeping only the new one', async () => {
  cognito.on(ListUserPoolClientSecretsCommand).resolves({ ClientSecrets: [{ ClientSecretId: 'old-1' }, { ClientSecretId: 'old-2' }] });
  cognito.on(AddUserPoolClientSecretCommand).resolves({ ClientSecretDescriptor: { ClientSecretId: 'new', ClientSecretValue: 'fresh-secret' } });
  cognito.on(DeleteUserPoolClientSecretCommand).resolves({});
  const apps = (await t.http.get('/admin/platform/get_all_app_clients').set('cookie', await t.adminCookie())).body;
  const appId = JSON.stringify(apps).match(/"app_id":"([^"]+)"/)![1]!;
  const res = await admin('/admin/platform/rotate_app_client_secret', { app_id: appId });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.client_secret, 'fresh-secret');
  const deleted = cognito.commandCalls(DeleteUserPoolClientSecretCommand).map((c) => c.args[0].input.ClientSecretId);
  assert.deepEqual(deleted, ['old-1', 'old-2']);
});

it('turns Cognito throttling into a 503 with Retry-After', async () => {
  cognito.on(CreateUserPoolClientCommand).rejects(new TooManyRequestsException({ message: 'Rate exceeded (internal detail)', $metadata: {} }));
  const res = await admin('/admin/platform/create_app_client', { app_name: 'Busy', description: 'd' });
  expectProblem(res, 503, 'BACKEND_UNAVAILABLE');
  assert.equal(res.headers['retry-after'], '2');
  assert.doesNotMatch(JSON.stringify(res.body), /internal detail/);
});

it('deletes the Cognito client with the app; the platform issues no tokens of its own', async () => {
  cognito.on(DeleteUserPoolClientCommand).resolves({});
  const apps = (await t.http.get('/admin/platform/get_all_app_clients').set('cookie', await t.adminCookie())).body;
  const appId = JSON.stringify(apps).match(/"app_id":"([^"]+)"/)![1]!;
  assert.equal((await admin('/admin/platform/delete_app_client', { app_id: appId })).status, 200);
  assert.equal(cognito.commandCalls(DeleteUserPoolClientCommand).at(-1)!.args[0].input.ClientId, 'cognito-client-1');
  expectProblem(await t.http.post('/oauth2/token').type('form').send({ grant_type: 'client_credentials' }), 404, 'ROUTE_NOT_FOUND');
});
