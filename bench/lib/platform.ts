// Starts the platform in its own process and onboards one application, as a user would.
import { join } from 'node:path';
import { startChildServer, tsScript, type ChildServer } from './child-server.ts';

const root = new URL('../..', import.meta.url).pathname;
const PASSWORD = 'bench-admin-password';

export interface BenchPlatform extends ChildServer {
  authorization: string;
  /** `Bearer gaf_sk_…`: the app's API key, for the OpenAI-compatible routes. */
  apiKeyAuthorization: string;
  post(path: string, body: unknown): Promise<Response>;
}

export async function startPlatform(dir: string, env: Record<string, string> = {}): Promise<BenchPlatform> {
  const server = await startChildServer(
    { args: tsScript(`${root}handlers/main.ts`), env: { PORT: '0', HOST: '127.0.0.1', DATA_DIR: join(dir, 'data'), ADMIN_PASSWORD: PASSWORD, ...env } },
    dir,
    'platform',
  );
  try {
    const onboarded = await onboardBenchApp(server.url, PASSWORD);
    return { ...server, ...onboarded, post: (path, body) => postJson(server.url, path, body, { authorization: onboarded.authorization }) };
  } catch (error) {
    server.stop();
    throw error;
  }
}

const postJson = (url: string, path: string, body: unknown, headers: Record<string, string>) =>
  fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Onboards one application on the platform at `url` as its admin would; its bearer token and API key. */
export async function onboardBenchApp(url: string, adminPassword: string): Promise<{ appId: string; authorization: string; apiKeyAuthorization: string }> {
  const login = await postJson(url, '/admin/auth/login', { username: 'admin', password: adminPassword }, {});
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const app = (await (await postJson(url, '/admin/platform/create_app_client', { app_name: 'bench', description: 'benchmark' }, { cookie })).json()) as {
    app_id: string;
    client_id: string;
    client_secret: string;
  };
  const token = await fetch(`${url}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  const authorization = `Bearer ${((await token.json()) as { access_token: string }).access_token}`;
  const key = (await (await postJson(url, `/admin/platform/apps/${app.app_id}/api_keys`, { name: 'bench' }, { cookie })).json()) as { api_key: string };
  return { appId: app.app_id, authorization, apiKeyAuthorization: `Bearer ${key.api_key}` };
}
