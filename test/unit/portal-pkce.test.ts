// The portal's Cognito sign-in (admin-ui/src/lib/pkce.ts): PKCE S256 and the return from the pool.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { authorizeUrl, challengeOf, randomToken, returnedCode } from '../../admin-ui/src/lib/pkce.ts';

it("derives the S256 challenge of RFC 7636's example verifier", async () => {
  assert.equal(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  assert.match(randomToken(), /^[A-Za-z0-9_-]{43}$/);
});

it('sends the administrator to the hosted sign-in with the client, redirect, scope, state and challenge', async () => {
  const url = new URL(await authorizeUrl('https://pool.example/oauth2/authorize', 'client1', 'openid email', 'https://api.example/prod/portal/', { state: 's1', verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk' }));
  assert.equal(url.origin + url.pathname, 'https://pool.example/oauth2/authorize');
  assert.deepEqual(Object.fromEntries(url.searchParams), {
    response_type: 'code', client_id: 'client1', redirect_uri: 'https://api.example/prod/portal/', scope: 'openid email', state: 's1',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256',
  });
});

it('takes the returned code only with the state this tab sent', () => {
  const pending = { state: 's1', verifier: 'v' };
  assert.equal(returnedCode('', pending), undefined);
  assert.deepEqual(returnedCode('?code=c1&state=s1', pending), { code: 'c1' });
  assert.match((returnedCode('?code=c1&state=other', pending) as { error: string }).error, /not one this tab started/);
  assert.match((returnedCode('?code=c1&state=s1', undefined) as { error: string }).error, /not one this tab started/);
  assert.match((returnedCode('?error=access_denied', pending) as { error: string }).error, /refused the sign-in: access_denied/);
});
