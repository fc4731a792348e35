// What both job-store adapters decide the same way: item validation, the terminal state, cursors.
import {
  JobStoreError, MAX_ITEM_ID_LENGTH, MAX_ITEMS_PER_JOB, type JobState, type NewJobItem,
} from './ports.ts';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 1000;

export const pageSize = (limit: number | undefined) => Math.max(1, Math.min(MAX_PAGE, Math.floor(limit ?? DEFAULT_PAGE)));

/** Refuses bad ids; `unique` also refuses an id twice in the list. */
export function checkItems(items: NewJobItem[], unique: boolean): void {
  if (items.length > MAX_ITEMS_PER_JOB) throw new JobStoreError('TOO_MANY_ITEMS', `A job holds at most ${MAX_ITEMS_PER_JOB} items.`);
  const seen = new Set<string>();
  for (const { itemId } of items) {
    if (typeof itemId !== 'string' || itemId.length === 0 || itemId.length > MAX_ITEM_ID_LENGTH) {
      throw new JobStoreError('INVALID_ITEM', `An item id is 1 to ${MAX_ITEM_ID_LENGTH} characters.`);
    }
    if (unique && seen.has(itemId)) throw new JobStoreError('INVALID_ITEM', `Item ${itemId} is listed twice.`);
    seen.add(itemId);
  }
}

/** The terminal state of a job whose items have all ended (and that was not cancelled). */
export function finalState(total: number, succeeded: number): JobState {
  if (succeeded === total) return 'COMPLETED';
  return succeeded === 0 ? 'FAILED' : 'COMPLETED_WITH_ERRORS';
}

// Cursors are opaque to callers: base64url of the last key returned.
export const encodeCursor = (key: string) => Buffer.from(key, 'utf8').toString('base64url');
export function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCursor(key) !== cursor) throw new JobStoreError('INVALID_CURSOR', 'The cursor is not one this store returned.');
  return key;
}

/** A job's place in "newest first": its creation time, then its id (unique). */
export const jobOrderKey = (createdAt: string, jobId: string) => `${createdAt}#${jobId}`;
export function splitJobOrderKey(key: string): [createdAt: string, jobId: string] {
  const at = key.indexOf('#');
  if (at < 0) throw new JobStoreError('INVALID_CURSOR', 'The cursor is not one this store returned.');
  return [key.slice(0, at), key.slice(at + 1)];
}
