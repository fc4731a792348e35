// Which services this platform has: the spec list it serves at /openapi/ (one bundled spec per
// service). Pages and playground steps that need an absent service are not shown. Not an API
// operation (no spec describes the list), so it is the one plain fetch of the portal.
import { apiRoot } from './api.ts';

export async function presentServices(): Promise<Set<string>> {
  const response = await fetch(`${apiRoot}/openapi/`);
  if (!response.ok) throw new Error(`The platform's service list answered ${response.status}.`);
  const { specs } = (await response.json()) as { specs: { service: string }[] };
  return new Set(specs.map((spec) => spec.service));
}
