// The portal's one way to the API: the generated typed client (createAdminClient) on the page's
// own origin, so the HttpOnly session cookie and the admin API's same-origin (CSRF) rule just
// work. A problem response becomes an ApiError carrying its `detail`, which the pages show as is.
import { createAdminClient, type AdminComponents } from '../../../generated/client/index.ts';

export type Schemas = AdminComponents['schemas'];
export type AppClient = Schemas['AppClient'];
export type AppCredentials = Schemas['AppClientCredentials'];
export type UsageReport = Schemas['UsageReport'];

/** The API's root: the portal is served at `<root>/portal/`, whatever prefix `<root>` has. */
export const apiRoot = new URL('..', document.baseURI).href.replace(/\/$/, '');

export const { admin } = createAdminClient({ baseUrl: apiRoot });

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string | undefined, detail: string) {
    super(detail);
  }
}

/** Called when any call answers 401: the session ended (expired, signed out elsewhere). */
let onSessionLost: () => void = () => {};
export const whenSessionLost = (handler: () => void) => (onSessionLost = handler);

/** The data of a successful call; an ApiError with the problem's detail otherwise. */
export async function call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: Awaited<typeof request>;
  try {
    result = await request;
  } catch {
    throw new ApiError(0, undefined, 'The platform did not answer: check that it is running and try again.');
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  const problem = (error ?? {}) as { code?: string; detail?: string };
  if (response.status === 401 && problem.code === 'SESSION_REQUIRED') onSessionLost();
  throw new ApiError(response.status, problem.code, problem.detail ?? `The platform answered ${response.status} ${response.statusText}.`);
}

export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
