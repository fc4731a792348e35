// The typed client: one openapi-fetch client per service, plus the OAuth2 token handling that
// application clients need (fetch, cache, refresh before expiry).
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
    .map((s) => `import type { paths as ${pascal(s)}Paths, components as ${pascal(s)}Components } from '../types/${s}.ts';`)
    .join('\n');
  const reexports = services.map((s) => `${pascal(s)}Paths, ${pascal(s)}Components`).join(', ');
  const appEntries = appServices.map((s) => `    ${s}: withToken(createClient<${pascal(s)}Paths>(base)),`).join('\n');
  const adminEntries = adminServices.map((s) => `    ${s}: createClient<${pascal(s)}Paths>(base),`).join('\n');

  return `// ${DO_NOT_EDIT}
import createClient, { type Client, type Middleware } from 'openapi-fetch';
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

export interface PlatformClientOptions extends TokenProviderOptions {}

/** Typed clients for every application service, each sending a bearer token it manages itself. */
export function createPlatformClient(options: PlatformClientOptions) {
  const tokens = createTokenProvider(options);
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
  /** Extra headers, e.g. a Cookie outside a browser. */
  headers?: Record<string, string>;
}

/** Typed clients for the admin API; a browser sends the session cookie itself. */
export function createAdminClient(options: AdminClientOptions) {
  const base = { baseUrl: options.baseUrl, fetch: options.fetch, headers: options.headers, credentials: 'include' as const };
  return {
${adminEntries}
  };
}
`;
}
