// The playground's clients: the generated platform client, as one application (a playground token
// the admin API minted, or the app's own client id and secret), recording every exchange.
import { createPlatformClient } from '../../../generated/client/index.ts';
import { apiRoot } from './api.ts';
import { exchangeRecorder, type Exchange } from './exchange-recorder.ts';

export type PlaygroundCredentials =
  | { kind: 'token'; appName: string; accessToken: string; expiresAt: string }
  | { kind: 'secret'; clientId: string; clientSecret: string };

export type PlaygroundClient = ReturnType<typeof createPlatformClient>;

export function playgroundClient(credentials: PlaygroundCredentials, onExchange: (exchange: Exchange) => void): PlaygroundClient {
  const client = createPlatformClient(credentials.kind === 'token'
    ? { baseUrl: apiRoot, accessToken: credentials.accessToken }
    : { baseUrl: apiRoot, clientId: credentials.clientId, clientSecret: credentials.clientSecret });
  const recorder = exchangeRecorder(onExchange);
  client.prompt.use(recorder);
  client.model.use(recorder);
  client.document.use(recorder);
  client.vector.use(recorder);
  return client;
}
