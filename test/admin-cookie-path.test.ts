// Behind an API Gateway stage the admin API is at /<stage>/admin: the session cookie follows
// PUBLIC_URL's path, or browsers and curl would never send it back.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, startTestPlatform } from './helpers/platform.ts';

it('scopes the admin session cookie to PUBLIC_URL\'s path', async () => {
  const cases: [string, string][] = [['http://localhost:8080', '/admin'], ['https://api.example.com/prod/', '/prod/admin']];
  for (const [publicUrl, path] of cases) {
    const t = await startTestPlatform({ PUBLIC_URL: publicUrl });
    try {
      const res = await t.http.post('/admin/auth/login').send(ADMIN).expect(200);
      assert.match((res.headers['set-cookie'] as unknown as string[])[0]!, new RegExp(`Path=${path};`));
    } finally {
      await t.close();
    }
  }
});
