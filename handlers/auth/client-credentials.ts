// Reads client credentials from a token request: an HTTP Basic header (RFC 6749 §2.3.1, with
// form-encoded id and secret) or the form fields client_id / client_secret. RFC 6749 forbids two
// authentication *methods*, and the secret is the method: Basic plus a body client_id that names
// the same client (what Cognito's docs and the AWS sample's SDK send) is one method, not two.
import { OAuthError } from './token-issuer.ts';

export function clientCredentials(
  authorization: string | undefined,
  form: { client_id?: string; client_secret?: string },
): { clientId: string; clientSecret: string } {
  const basic = authorization?.match(/^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i);
  if (basic) {
    if (form.client_secret !== undefined) {
      throw new OAuthError('invalid_request', 'Send the client secret in the Authorization header or in the body, not both.');
    }
    const credentials = decodeBasic(basic[1]!);
    if (form.client_id !== undefined && form.client_id !== credentials.clientId) {
      throw new OAuthError('invalid_request', 'The client_id in the body differs from the one in the Authorization header.');
    }
    return credentials;
  }
  if (authorization) throw new OAuthError('invalid_client', 'Only HTTP Basic client authentication is supported.');
  if (!form.client_id || !form.client_secret) throw new OAuthError('invalid_client', 'Client credentials are missing.');
  return { clientId: form.client_id, clientSecret: form.client_secret };
}

function decodeBasic(encoded: string): { clientId: string; clientSecret: string } {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new OAuthError('invalid_client', 'The Basic credentials must be client_id:client_secret.');
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' ')),
      clientSecret: decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' ')),
    };
  } catch {
    throw new OAuthError('invalid_client', 'The Basic credentials are not correctly encoded.');
  }
}
