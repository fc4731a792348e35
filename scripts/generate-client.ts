// The typed client: one openapi-fetch client per service, plus the OAuth2 token handling that
// application clients need (fetch, cache, refresh before expiry) and, outside a browser, the admin
// session cookie. clients/typescript/ compiles it to the installable @genai-foundations/client, so
// it imports with .js extensions (resolved to the .ts here, to the emitted .d.ts in the package).
import { readFileSync } from 'node:fs';
import { bundledSpecPath, DO_NOT_EDIT } from './specs.ts';

type Spec = { security?: Record<string, string[]>[]; 'x-aws-gateway'?: boolean };
const securedBy = (service: string, scheme: string) =>
  ((JSON.parse(readFileSync(bundledSpecPath(service), 'utf8')) as Spec).security ?? []).some((req) => scheme in req);

const pascal = (name: string) => name.replace(/(^|[-_])(\w)/g, (_, __, c: string) => c.toUpperCase());

export function buildClient(services: string[]): string {
  const appServices = services.filter((s) => securedBy(s, 'AppToken'));
  const adminServices = services.filter((s) => securedBy(s, 'AdminSession'));
  const imports = services
    .map((s) => `import type { paths as ${pascal(s)}Paths, components as ${pascal(s)}Components } from '../types/${s}.js';`)
    .join('\n');
  const reexports = services.map((s) => `${pascal(s)}Paths, ${pascal(s)}Components`).join(', ');
  const appEntries = appServices.map((s) => `    ${s}: withToken(createClient<${pascal(s)}Paths>(base)),`).join('\n');
  const adminEntries = adminServices.map((s) => `    ${s}: withSession(createClient<${pascal(s)}Paths>(base)),`).join('\n');

  return `// ${DO_NOT_EDIT}
import createClient from 'openapi-fetch';
import type { Client, Middleware } from 'openapi-fetch';
${imports}

export type { ${reexports} };

export interface TokenProviderOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes to ask for; default: all the client may have. */
  scope?: string;
  /** Where the token endpoint is; default: \`\${baseUrl}/oauth2/token\` (on AWS: the Cognito domain). */
  tokenUrl?: string;
  fetch?: typeof fetch;
}

export interface TokenProvider {
  /** A valid access token, fetched once and reused until shortly before it expires. */
  getToken(): Promise<string>;
  /** Forget the cached token (the next call fetches a new one). */
  invalidate(): void;
}

/** Refresh this many seconds before expiry, so a token never expires in flight. */
const EXPIRY_MARGIN_SECONDS = 30;

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const doFetch = options.fetch ?? globalThis.fetch;
  const tokenUrl = options.tokenUrl ?? \`\${options.baseUrl.replace(/\\/$/, '')}/oauth2/token\`;
  let cached: { token: string; refreshAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const body = new URLSearchParams({ grant_type: 'client_credentials' });
    if (options.scope) body.set('scope', options.scope);
    const basic = btoa(\`\${encodeURIComponent(options.clientId)}:\${encodeURIComponent(options.clientSecret)}\`);
    const response = await doFetch(tokenUrl, {
      method: 'POST',
      headers: { authorization: \`Basic \${basic}\`, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const json = (await response.json()) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (!response.ok || !json.access_token) {
      throw new Error(\`token request failed (\${response.status}): \${json.error ?? 'unknown_error'} \${json.error_description ?? ''}\`.trim());
    }
    cached = { token: json.access_token, refreshAt: Date.now() + ((json.expires_in ?? 300) - EXPIRY_MARGIN_SECONDS) * 1000 };
    return json.access_token;
  }

  return {
    async getToken() {
      if (cached && Date.now() < cached.refreshAt) return cached.token;
      pending ??= fetchToken().finally(() => { pending = undefined; });
      return pending;
    },
    invalidate() { cached = undefined; },
  };
}

/** A token obtained elsewhere (e.g. the admin portal's playground token): sent as is, never refreshed. */
export interface GivenTokenOptions {
  baseUrl: string;
  accessToken: string;
  fetch?: typeof fetch;
}

export type PlatformClientOptions = TokenProviderOptions | GivenTokenOptions;

const givenToken = (accessToken: string): TokenProvider => ({ getToken: async () => accessToken, invalidate() {} });

/** Typed clients for every application service, each sending a bearer token it manages itself. */
export function createPlatformClient(options: PlatformClientOptions) {
  const tokens = 'accessToken' in options ? givenToken(options.accessToken) : createTokenProvider(options);
  const auth: Middleware = {
    async onRequest({ request }) {
      request.headers.set('authorization', \`Bearer \${await tokens.getToken()}\`);
      return request;
    },
    onResponse({ response }) {
      // A revoked or rotated credential: fetch a fresh token for the next call.
      if (response.status === 401) tokens.invalidate();
      return response;
    },
  };
  const withToken = <C extends Client<any>>(client: C): C => { client.use(auth); return client; };
  const base = { baseUrl: options.baseUrl, fetch: options.fetch };
  return {
${appEntries}
    tokens,
  };
}

export interface AdminClientOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

/**
 * Outside a browser no one keeps cookies between fetch calls: remember the cookies the admin API
 * sets (the session, on \`/admin/auth/login\`), send them back, and drop one it clears (logout).
 * In a browser scripts never see Set-Cookie, so this does nothing there and the browser's own
 * cookie store (\`credentials: 'include'\`) keeps the session.
 */
function sessionCookieJar(): Middleware {
  const jar = new Map<string, string>();
  return {
    onRequest({ request }) {
      if (jar.size === 0) return request;
      const cookies = new Map((request.headers.get('cookie') ?? '').split(/;\\s*/).filter(Boolean).map((c) => [c.split('=')[0]!, c]));
      for (const [name, value] of jar) cookies.set(name, \`\${name}=\${value}\`);
      request.headers.set('cookie', [...cookies.values()].join('; '));
      return request;
    },
    onResponse({ response }) {
      // getSetCookie is missing in older browsers, which would not show the header anyway.
      for (const line of response.headers.getSetCookie?.() ?? []) {
        const [pair = '', ...attributes] = line.split(';');
        const eq = pair.indexOf('=');
        if (eq < 1) continue;
        const name = pair.slice(0, eq).trim();
        const value = pair.slice(eq + 1).trim();
        const expired = value === '' || attributes.some((a) => {
          const [key = '', val = ''] = a.split('=').map((part) => part.trim());
          return (/^max-age$/i.test(key) && Number(val) <= 0) || (/^expires$/i.test(key) && Date.parse(val) <= Date.now());
        });
        if (expired) jar.delete(name);
        else jar.set(name, value);
      }
      return response;
    },
  };
}

/** Typed clients for the admin API, keeping the session cookie that \`/admin/auth/login\` sets. */
export function createAdminClient(options: AdminClientOptions) {
  const base = { baseUrl: options.baseUrl, fetch: options.fetch, headers: options.headers, credentials: 'include' as const };
  const cookies = sessionCookieJar();
  const withSession = <C extends Client<any>>(client: C): C => { client.use(cookies); return client; };
  return {
${adminEntries}
  };
}
`;
}
