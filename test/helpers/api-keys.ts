// API keys for the OpenAI-compatible routes, made through the admin API.
import type { TestPlatform } from './platform.ts';

export async function createApiKey(t: TestPlatform, appId: string, body: Record<string, unknown> = { name: 'test key' }) {
  const res = await t.http.post(`/admin/platform/apps/${appId}/api_keys`).set('cookie', await t.adminCookie()).send(body).expect(200);
  return res.body as { api_key: string; key_id: string; prefix: string; models: string[] | null };
}
