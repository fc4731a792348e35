// Sign-in through the Cognito admin pool: the authorization code flow with PKCE (RFC 7636, S256)
// in the browser. Before leaving for the hosted sign-in, the verifier and a state value are kept in
// sessionStorage (this tab only); on return, the state must match and the code is sent with the
// verifier to POST /admin/auth/cognito, which exchanges it server-side.

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export const randomToken = (bytes = 32) => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

export async function challengeOf(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

export interface PendingSignIn {
  state: string;
  verifier: string;
}

export const PENDING_KEY = 'gaf-portal-cognito';

export async function authorizeUrl(endpoint: string, clientId: string, scope: string, redirectUri: string, pending: PendingSignIn): Promise<string> {
  const url = new URL(endpoint);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope, state: pending.state,
    code_challenge: await challengeOf(pending.verifier), code_challenge_method: 'S256',
  }).toString();
  return url.href;
}

/** The code the pool sent back, if this page load is that return and its state is ours; else why not. */
export function returnedCode(search: string, pending: PendingSignIn | undefined): { code: string } | { error: string } | undefined {
  const params = new URLSearchParams(search);
  if (params.has('error')) return { error: `The admin pool refused the sign-in: ${params.get('error_description') ?? params.get('error')}.` };
  const code = params.get('code');
  if (!code) return undefined;
  if (!pending || params.get('state') !== pending.state) return { error: 'This sign-in link is not one this tab started; sign in again.' };
  return { code };
}
