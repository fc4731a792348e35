// Admin sign-in under concurrent attack (issue 10, rows 2 and 3): guesses are counted before they
// are checked, a guesser cannot lock the admin out of another address, and a flood of sign-ins
// neither hashes without bound nor delays token issuance behind it.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, listen, startTestPlatform, type TestPlatform } from '../helpers/platform.ts';
import { FREE_ATTEMPTS } from '../../handlers/admin/login-throttle.ts';
import { HASHING_QUEUE, HASHING_SLOTS } from '../../handlers/platform/auth/secrets.ts';

let t: TestPlatform;
let server: Awaited<ReturnType<typeof listen>>;
let base: string;

before(async () => {
  // One trusted proxy: the tests play clients at different addresses through X-Forwarded-For.
  t = await startTestPlatform({ TRUST_PROXY_HOPS: '1' });
  server = await listen(t.platform.handler);
  base = server.baseUrl;
});
after(async () => {
  await server.close();
  await t.close();
});

const login = (username: string, password: string, from: string) =>
  fetch(`${base}/admin/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ username, password }),
  });

it('checks at most the free attempts of 100 concurrent wrong passwords, and the admin still signs in from elsewhere', async () => {
  const started = Date.now();
  const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => login(ADMIN.username, `guess-${i}`, '192.0.2.66')));
  // After the free attempts, one more is allowed after 1 s, the next after 2 s more, and so on: on a
  // slow machine the burst itself can last long enough for a few of those windows to open.
  const windows = Math.floor(Math.log2((Date.now() - started) / 1000 + 1));
  const statuses = answers.map((res) => res.status);
  const checked = statuses.filter((status) => status === 401).length;
  assert.ok(checked <= FREE_ATTEMPTS + windows, `${checked} of 100 concurrent guesses were checked (${windows} back-off windows passed)`);
  assert.equal(checked + statuses.filter((status) => status === 429).length, 100);
  assert.ok(answers.filter((res) => res.status === 429).every((res) => Number(res.headers.get('retry-after')) >= 1));

  assert.equal((await login(ADMIN.username, ADMIN.password, '198.51.100.10')).status, 200);
});

it('bounds concurrent hashing: a flood of sign-ins gets 429 beyond a short queue, and a token request is not stuck behind it', async () => {
  const app = await t.onboardApp('throttle-token-app');
  const finished: string[] = [];
  // The token is asked for when all but a queue's worth of sign-ins have been answered: the rest are
  // then waiting for a hash (bounded or not), and the token must not wait behind them.
  const pending = HASHING_SLOTS + HASHING_QUEUE;
  let backlogReached: () => void;
  const backlog = new Promise<void>((resolve) => (backlogReached = resolve));
  const logins = Array.from({ length: 300 }, (_, i) =>
    login(`nobody-${i}-${Math.random()}`, 'wrong-password', `10.1.${i >> 8}.${i & 255}`).then((res) => {
      finished.push(res.status === 401 ? 'checked' : 'refused');
      if (finished.length === 300 - pending) backlogReached();
      return res;
    }),
  );
  await backlog;
  const checkedBefore = finished.filter((what) => what === 'checked').length;
  const token = fetch(`${base}/oauth2/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  }).then((res) => {
    finished.push('token');
    return res;
  });
  const answers = await Promise.all(logins);
  assert.equal((await token).status, 200);

  const refused = answers.filter((res) => res.status === 429);
  // Requests arrive spread out as slots free up, so more than HASHING_SLOTS + HASHING_QUEUE get in.
  assert.ok(refused.length >= 150, `only ${refused.length} of 300 sign-ins refused (${HASHING_SLOTS} slots, ${HASHING_QUEUE} queued)`);
  assert.ok(refused.every((res) => Number(res.headers.get('retry-after')) >= 1));
  const queuedThen = finished.filter((what) => what === 'checked').length - checkedBefore;
  const checkedAfter = finished.slice(finished.indexOf('token')).filter((what) => what === 'checked').length;
  assert.ok(checkedAfter >= queuedThen / 2, `token issued after ${queuedThen - checkedAfter} of the ${queuedThen} sign-ins checked meanwhile`);
});
