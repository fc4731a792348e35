// Stable physical names, all derived from one prefix: the same prefix gives the same names on
// every synth, so a redeploy updates resources in place instead of replacing them.
export interface Naming {
  prefix: string;
  /** `${prefix}-${part}`, e.g. genai-foundations-apps. */
  name(part: string): string;
}

/** Lower-case letters, digits and single hyphens: valid for every resource type used here. */
export const PREFIX_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
export const MAX_PREFIX_LENGTH = 20;

export function naming(prefix: string): Naming {
  if (!PREFIX_PATTERN.test(prefix) || prefix.length > MAX_PREFIX_LENGTH) {
    throw new Error(`prefix must match ${PREFIX_PATTERN} and be at most ${MAX_PREFIX_LENGTH} characters, got "${prefix}"`);
  }
  return { prefix, name: (part) => `${prefix}-${part}` };
}
