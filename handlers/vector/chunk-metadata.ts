// How a chunk's heading path travels through a record's flat `extra` metadata (the index port takes
// only strings, numbers and booleans there): JSON-encoded under one reserved key. The worker writes
// it with `headingPathExtra`; search hits read it back with `splitHitMetadata`, so callers see
// `heading_path` as a list and `metadata` without the reserved key.
import type { MetadataValue } from './index/ports.ts';

export const HEADING_PATH_KEY = 'heading_path';

export function headingPathExtra(headingPath: string[]): Record<string, MetadataValue> {
  return headingPath.length > 0 ? { [HEADING_PATH_KEY]: JSON.stringify(headingPath) } : {};
}

export function splitHitMetadata(extra: Record<string, MetadataValue>): {
  heading_path?: string[];
  metadata: Record<string, MetadataValue>;
} {
  const { [HEADING_PATH_KEY]: encoded, ...metadata } = extra;
  const headingPath = typeof encoded === 'string' ? parseHeadingPath(encoded) : undefined;
  return headingPath ? { heading_path: headingPath, metadata } : { metadata };
}

function parseHeadingPath(encoded: string): string[] | undefined {
  try {
    const value: unknown = JSON.parse(encoded);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined; // a record written by another tool: no heading path rather than a failed search
  }
}
