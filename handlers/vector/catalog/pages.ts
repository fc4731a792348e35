// What both catalogue adapters decide the same way: page sizes and opaque cursors. A cursor is the
// base64url of the last key returned; one this catalogue did not hand out is a 400 on `cursor`.
import { ProblemError } from '../../platform/problems.ts';
import type { PageRequest } from './ports.ts';

export const DEFAULT_CATALOG_PAGE = 20;
export const MAX_CATALOG_PAGE = 1000;

export const catalogPageSize = (page: PageRequest | undefined) =>
  Math.max(1, Math.min(MAX_CATALOG_PAGE, Math.floor(page?.limit ?? DEFAULT_CATALOG_PAGE)));

export const encodeCatalogCursor = (key: string) => Buffer.from(key, 'utf8').toString('base64url');

export function decodeCatalogCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key || encodeCatalogCursor(key) !== cursor) throw badCursor();
  return key;
}

/** A record's place in a listing: its creation time, then its id (unique). */
export const orderKey = (createdAt: string, id: string) => `${createdAt}#${id}`;

export function splitOrderKey(cursor: string): [createdAt: string, id: string] {
  const key = decodeCatalogCursor(cursor);
  const at = key.indexOf('#');
  if (at < 0) throw badCursor();
  return [key.slice(0, at), key.slice(at + 1)];
}

const badCursor = () =>
  new ProblemError('VALIDATION_ERROR', 'The cursor is not one this API returned.', { errors: [{ path: 'query.cursor', message: 'unknown cursor' }] });
