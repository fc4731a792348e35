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
  const send = (path: string, body: unknown, headers: Record<string, string>) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  try {
    const login = await send('/admin/auth/login', { username: 'admin', password: PASSWORD }, {});
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const app = (await (await send('/admin/platform/create_app_client', { app_name: 'bench', description: 'benchmark' }, { cookie })).json()) as {
      app_id: string;
      client_id: string;
      client_secret: string;
    };
    const token = await fetch(`${server.url}/oauth2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const authorization = `Bearer ${((await token.json()) as { access_token: string }).access_token}`;
    const key = (await (await send(`/admin/platform/apps/${app.app_id}/api_keys`, { name: 'bench' }, { cookie })).json()) as { api_key: string };
    return { ...server, authorization, apiKeyAuthorization: `Bearer ${key.api_key}`, post: (path, body) => send(path, body, { authorization }) };
  } catch (error) {
    server.stop();
    throw error;
  }
}
