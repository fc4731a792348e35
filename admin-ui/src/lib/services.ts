// Which services this platform has: the spec list it serves at /openapi/ (one bundled spec per
// service), read once per page load. Pages and playground steps that need an absent service are
// not shown. Not an API operation (no spec describes the list), so it is the portal's one plain fetch.
import { apiRoot } from './api.ts';

let pending: Promise<Set<string>> | undefined;

async function load(): Promise<Set<string>> {
  const response = await fetch(`${apiRoot}/openapi/`);
  if (!response.ok) throw new Error(`The platform's service list answered ${response.status}.`);
  const { specs } = (await response.json()) as { specs: { service: string }[] };
  return new Set(specs.map((spec) => spec.service));
}

export function presentServices(): Promise<Set<string>> {
  pending ??= load().catch((error) => {
    pending = undefined; // asked again next time
    throw error;
  });
  return pending;
}
