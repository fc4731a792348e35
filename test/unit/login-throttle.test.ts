import { it } from 'node:test';
import assert from 'node:assert/strict';
import { LoginThrottle } from '../../handlers/admin/login-throttle.ts';

it('lets five failures through, then doubles the wait with each failure', () => {
  let now = 0;
  const throttle = new LoginThrottle(() => now);
  for (let i = 0; i < 4; i++) throttle.recordFailure('Admin');
  assert.equal(throttle.retryAfterSeconds('admin'), 0);
  throttle.recordFailure('admin');
  assert.equal(throttle.retryAfterSeconds('ADMIN'), 1);
  throttle.recordFailure('admin');
  assert.equal(throttle.retryAfterSeconds('admin'), 2);
  throttle.recordFailure('admin');
  assert.equal(throttle.retryAfterSeconds('admin'), 4);
  now += 4000;
  assert.equal(throttle.retryAfterSeconds('admin'), 0);
});

it('caps the wait at 15 minutes and forgets failures after a success', () => {
  const throttle = new LoginThrottle(() => 0);
  for (let i = 0; i < 40; i++) throttle.recordFailure('admin');
  assert.equal(throttle.retryAfterSeconds('admin'), 900);
  throttle.recordSuccess('admin');
  assert.equal(throttle.retryAfterSeconds('admin'), 0);
});

it('tracks each username on its own', () => {
  const throttle = new LoginThrottle(() => 0);
  for (let i = 0; i < 6; i++) throttle.recordFailure('mallory');
  assert.ok(throttle.retryAfterSeconds('mallory') > 0);
  assert.equal(throttle.retryAfterSeconds('admin'), 0);
});
