// A fresh platform per test file: its own data directory, a known admin, silent logs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type RequestListener } from 'node:http';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Response } from 'supertest';
import { loadConfig, type Config } from '../../handlers/platform/config.ts';
import { createLogger } from '../../handlers/platform/logger.ts';
import { buildPlatform, type Platform } from '../../handlers/platform-app.ts';
import type { ServiceModule } from '../../handlers/platform/module.ts';
import { problemCatalogue, type ProblemCode } from '../../handlers/platform/http/problem.ts';

export const ADMIN = { username: 'admin', password: 'test-admin-password' };

export interface TestPlatform {
  platform: Platform;
  config: Config;
  http: ReturnType<typeof request>;
  dataDir: string;
  /** A session cookie for the bootstrap admin. */
  adminCookie(): Promise<string>;
  /** Onboards an app through the admin API and returns its credentials. */
  onboardApp(name?: string): Promise<{ app_id: string; client_id: string; client_secret: string }>;
  /** An access token for the app, from the token endpoint. */
  tokenFor(app: { client_id: string; client_secret: string }, scope?: string): Promise<string>;
  /** Onboards an app and returns a bearer header for it. */
  appAuth(name?: string): Promise<{ app_id: string; client_id: string; client_secret: string; authorization: string }>;
  close(): Promise<void>;
}

export async function startTestPlatform(env: Record<string, string> = {}, dataDir?: string, modules?: ServiceModule[]): Promise<TestPlatform> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'gaf-test-'));
  const config = loadConfig({ DATA_DIR: dir, ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'silent', ...env });
  const platform = await buildPlatform(config, createLogger(config.logLevel), modules);
  const http = request(platform.handler);
  let cookie: string | undefined;

  const adminCookie = async () => {
    if (cookie) return cookie;
    const res = await http.post('/admin/auth/login').send(ADMIN).expect(200);
    cookie = (res.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0]!;
    return cookie;
  };
  const onboardApp = async (name = 'test-app') => {
    const res = await http
      .post('/admin/platform/create_app_client')
      .set('cookie', await adminCookie())
      .send({ app_name: name, description: `${name} for tests` })
      .expect(200);
    return res.body as { app_id: string; client_id: string; client_secret: string };
  };
  const tokenFor = async (app: { client_id: string; client_secret: string }, scope?: string) => {
    const form: Record<string, string> = { grant_type: 'client_credentials' };
    if (scope !== undefined) form.scope = scope;
    const res = await http.post('/oauth2/token').auth(app.client_id, app.client_secret).type('form').send(form).expect(200);
    return res.body.access_token as string;
  };
  return {
    platform,
    config,
    http,
    dataDir: dir,
    adminCookie,
    onboardApp,
    tokenFor,
    async appAuth(name) {
      const app = await onboardApp(name);
      return { ...app, authorization: `Bearer ${await tokenFor(app)}` };
    },
    async close() {
      await platform.close();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Serves a handler on a free loopback port, for clients that need a real URL. */
/** Serves the handler on loopback: on `port`, or on any free one (0). */
export async function listen(handler: RequestListener, port = 0): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const server = createServer(handler).listen(port, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const codes = new Map(problemCatalogue.map((entry) => [entry.code, entry]));

/** Asserts an RFC 9457 problem response with the given status and code; returns the body. */
export function expectProblem(res: Response, status: number, code: ProblemCode) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status} ${JSON.stringify(res.body ?? res.text)}`);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = JSON.parse(res.text);
  assert.equal(body.code, code, JSON.stringify(body));
  assert.equal(body.status, status);
  assert.equal(body.type, codes.get(code)?.type);
  assert.equal(body.title, codes.get(code)?.title);
  assert.equal(typeof body.detail, 'string');
  assert.ok(body.detail.length > 0);
  assert.equal(body.request_id, res.headers['x-request-id']);
  assert.doesNotMatch(res.text, /at .*\.(ts|js):\d+/, 'no stack trace in a problem');
  return body as { detail: string; errors?: { path: string; message: string }[] };
}
