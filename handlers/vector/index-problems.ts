// The vector index's errors in the platform's words. Input the API let through but the index
// refuses is the caller's (400); a missing backend index behind a catalogued one is a 404 of it.
import { ProblemError } from '../platform/problems.ts';
import { VectorIndexError } from './index/ports.ts';

export async function onIndex<T>(indexId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof VectorIndexError ? problemOf(indexId, error) : error;
  }
}

function problemOf(indexId: string, error: VectorIndexError): ProblemError | VectorIndexError {
  switch (error.reason) {
    case 'INDEX_NOT_FOUND':
      return new ProblemError('VECTOR_INDEX_NOT_FOUND', `Index ${indexId} has no data in the vector backend.`);
    case 'INVALID_SEARCH':
      return new ProblemError('VALIDATION_ERROR', error.message, { errors: [{ path: 'body', message: error.message }] });
    case 'BACKEND_UNAVAILABLE':
      return new ProblemError('BACKEND_UNAVAILABLE', 'The vector backend is unavailable; retry shortly.', { retryAfterSeconds: 5 });
    default:
      return error; // a defect (a record or definition the service built wrongly): a 500
  }
}
