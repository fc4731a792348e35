// The identity port for onboarding: where an application's OAuth2 client lives. Locally the
// platform is its own issuer (secrets kept as hashes in the app store); on AWS the client is a
// Cognito app client and Cognito keeps the secret (see cognito-client-registry.ts).
import { hashClientSecret, newClientId, newClientSecret } from '../platform/auth/secrets.ts';

export interface IssuedCredentials {
  clientId: string;
  /** Shown to the administrator once, never stored in clear. */
  clientSecret: string;
  /** What the app store keeps to check the secret (nothing usable when the IdP checks it). */
  secretHash: string;
}

export interface ClientRegistry {
  register(appName: string): Promise<IssuedCredentials>;
  /** A new secret; the old one stops working. */
  rotateSecret(clientId: string): Promise<Omit<IssuedCredentials, 'clientId'>>;
  /** An inactive client can get no new tokens (the verifier also rejects its current ones). */
  setActive(clientId: string, appName: string, active: boolean): Promise<void>;
  remove(clientId: string): Promise<void>;
}

export const localClientRegistry: ClientRegistry = {
  async register() {
    const clientSecret = newClientSecret();
    return { clientId: newClientId(), clientSecret, secretHash: hashClientSecret(clientSecret) };
  },
  async rotateSecret() {
    const clientSecret = newClientSecret();
    return { clientSecret, secretHash: hashClientSecret(clientSecret) };
  },
  // The local issuer reads the app's status and existence from the store on every token request.
  async setActive() {},
  async remove() {},
};
