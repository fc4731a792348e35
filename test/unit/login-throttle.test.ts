import { it } from 'node:test';
import assert from 'node:assert/strict';
import { CEILING, IN_FLIGHT_PER_ADDRESS, IN_FLIGHT_PER_USERNAME, LoginThrottle, type Admission } from '../../handlers/admin/login-throttle.ts';

/** One attempt that fails, checked to the end before the next one starts. */
function fail(throttle: LoginThrottle, username: string, address: string): Admission {
  const attempt = throttle.reserve(username, address);
  if (attempt.allowed) attempt.settle('failure');
  return attempt;
}
const waitOf = (attempt: Admission) => (attempt.allowed ? 0 : attempt.retryAfterSeconds);

it('lets five failures through from an address, then doubles its wait with each failure', () => {
  let now = 0;
  const throttle = new LoginThrottle(() => now);
  for (let i = 0; i < 5; i++) assert.equal(waitOf(fail(throttle, i % 2 ? 'Admin' : 'admin', '192.0.2.1')), 0);
  assert.equal(waitOf(fail(throttle, 'ADMIN', '192.0.2.1')), 1);
  now += 1000;
  assert.equal(waitOf(fail(throttle, 'admin', '192.0.2.1')), 0);
  assert.equal(waitOf(fail(throttle, 'admin', '192.0.2.1')), 2);
  now += 2000;
  fail(throttle, 'admin', '192.0.2.1');
  assert.equal(waitOf(throttle.reserve('admin', '192.0.2.1')), 4);
});

it('caps the wait at 15 minutes and forgets an address’s failures after its success', () => {
  let now = 0;
  const throttle = new LoginThrottle(() => now);
  for (let i = 0; i < 20; i++) {
    now += 16 * 60 * 1000; // past any wait, so each attempt is checked
    fail(throttle, 'admin', '192.0.2.1');
  }
  assert.equal(waitOf(throttle.reserve('admin', '192.0.2.1')), 900);
  now += 900 * 1000;
  const attempt = throttle.reserve('admin', '192.0.2.1');
  assert.ok(attempt.allowed);
  attempt.settle('success');
  assert.equal(waitOf(fail(throttle, 'admin', '192.0.2.1')), 0);
});

it('counts an attempt before it is checked, so concurrent guesses cannot all get through', () => {
  const throttle = new LoginThrottle(() => 0);
  const admitted = Array.from({ length: 100 }, (_, i) => throttle.reserve('admin', `192.0.2.${i % 3}`)).filter((a) => a.allowed);
  assert.equal(admitted.length, IN_FLIGHT_PER_USERNAME);
  const fromOne = Array.from({ length: 100 }, (_, i) => throttle.reserve(`user${i}`, '198.51.100.7')).filter((a) => a.allowed);
  assert.equal(fromOne.length, IN_FLIGHT_PER_ADDRESS);
});

it('does not slow the same username from another address', () => {
  const throttle = new LoginThrottle(() => 0);
  for (let i = 0; i < 30; i++) fail(throttle, 'admin', '192.0.2.1');
  assert.ok(waitOf(throttle.reserve('admin', '192.0.2.1')) > 0);
  assert.equal(waitOf(throttle.reserve('admin', '198.51.100.1')), 0);
});

it('past the ceiling, an address that has failed waits for the window; a clean one does not', () => {
  let now = 0;
  const throttle = new LoginThrottle(() => now);
  for (let i = 0; i < CEILING; i++) fail(throttle, 'admin', `10.0.${i >> 8}.${i & 255}`);
  assert.equal(waitOf(throttle.reserve('admin', '10.0.0.1')), 900);
  const clean = throttle.reserve('admin', '203.0.113.9');
  assert.ok(clean.allowed);
  clean.settle('success');
  now += 15 * 60 * 1000;
  assert.equal(waitOf(throttle.reserve('admin', '10.0.0.1')), 0);
});

it('counts IPv6 clients by /64 and an unchecked attempt not at all', () => {
  const throttle = new LoginThrottle(() => 0);
  for (let i = 0; i < 5; i++) fail(throttle, 'admin', `2001:db8:1:2::${i + 1}`);
  assert.ok(waitOf(throttle.reserve('admin', '2001:db8:1:2:ffff::1')) > 0);
  assert.equal(waitOf(throttle.reserve('admin', '2001:db8:1:3::1')), 0);
  for (let i = 0; i < 10; i++) {
    const attempt = throttle.reserve('root', '192.0.2.200');
    assert.ok(attempt.allowed);
    attempt.settle('unchecked');
  }
});
