// First deploy: every admin task starts at once and each finds no admin yet. Exactly one creates
// the first admin; the others lose the conditional create and must start anyway.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDynamo } from '../../handlers/platform/store/dynamodb/client.ts';
import { dynamoAdminStore } from '../../handlers/platform/store/dynamodb/admin-store.ts';
import { AdminAuth } from '../../handlers/admin/admin-auth.ts';
import { startLocalAws, type LocalAws } from '../helpers/aws-local.ts';

let aws: LocalAws;
before(async () => {
  aws = await startLocalAws();
  await aws.createTables('boot');
});
after(() => aws.close());

it('creates the first admin once when several processes bootstrap together, and none of them fails', async () => {
  const options = { sessionTtlSeconds: 60, secureCookies: true, cookiePath: '/admin' };
  const tasks = Array.from({ length: 4 }, () => new AdminAuth(dynamoAdminStore(createDynamo('boot')), options));
  const results = await Promise.all(tasks.map((auth) => auth.bootstrap('admin', 'a-long-enough-password')));
  assert.equal(results.filter((r) => r.created).length, 1);
  for (const r of results.filter((r) => !r.created)) assert.deepEqual(r, { created: false, passwordIgnored: false });
  assert.equal(await dynamoAdminStore(createDynamo('boot')).countUsers(), 1);
});
