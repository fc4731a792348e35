// What the API keys panel decides: a key's status, and the models field's text as the API wants it.
import type { Schemas } from './api.ts';

export type KeyStatus = 'active' | 'revoked' | 'expired';

export function keyStatus(key: Pick<Schemas['ApiKey'], 'revoked_at' | 'expires_at'>, now = Date.now()): KeyStatus {
  if (key.revoked_at) return 'revoked';
  if (key.expires_at && Date.parse(key.expires_at) <= now) return 'expired';
  return 'active';
}

/** "a, b,,a" → ['a', 'b'] (trimmed, no empties or repeats); blank → null (every model). */
export function parseModelList(text: string): string[] | null {
  const models = [...new Set(text.split(',').map((m) => m.trim()).filter(Boolean))];
  return models.length ? models : null;
}
