// Which id the platform sends Bedrock for a catalogue model, and which ARNs IAM must allow for it.
// Newer models are served on demand only through a cross-region inference profile: the id is the
// profile's, `<geography>.<model_id>`, the geography that of the deployment region, and the call may
// run in any region of that geography. Read by the model provider (at start) and the CDK app (IAM).
import { readFileSync } from 'node:fs';

interface Geography {
  source_region_prefixes: string[];
  regions: string[];
}

export interface ProfiledModel {
  model_id: string;
  provider: string;
  inference_profile?: boolean;
}

const geographies = (JSON.parse(readFileSync(new URL('./catalogue.json', import.meta.url), 'utf8')) as {
  inference_profiles: Record<string, Geography | string>;
}).inference_profiles;

/** The profile geography of a region (`us`, `eu`, `apac`), or undefined where none is listed. */
export function geographyOf(region: string): string | undefined {
  return Object.entries(geographies).find(([, g]) => typeof g !== 'string' && g.source_region_prefixes.some((p) => region.startsWith(p)))?.[0];
}

/** The id to invoke: the profile's where the model needs one and the region has it, else the model's own. */
export function invocationId(model: ProfiledModel, region: string | undefined): string {
  const geography = region && model.inference_profile ? geographyOf(region) : undefined;
  return geography ? `${geography}.${model.model_id}` : model.model_id;
}

/** What `bedrock:InvokeModel*` must allow for the model, called from `region` in `account`. */
export function bedrockResourceArns(model: ProfiledModel, region: string, account: string, partition = 'aws'): string[] {
  const foundation = (r: string) => `arn:${partition}:bedrock:${r}::foundation-model/${model.model_id}`;
  const id = invocationId(model, region);
  if (id === model.model_id) return [foundation(region)];
  const geography = geographies[geographyOf(region)!] as Geography;
  return [`arn:${partition}:bedrock:${region}:${account}:inference-profile/${id}`, ...geography.regions.map(foundation)];
}
