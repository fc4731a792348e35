// Parameters are checked at create_job: the field errors a 400 lists, the seed's defaults, and
// null meaning "the default" (the seed's worker crashed on it).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chunkText } from '../../handlers/document/chunking/chunk-text.ts';
import { CHUNKING_LIMITS, resolveChunkingParams, validateChunkingParams } from '../../handlers/document/chunking/params.ts';
import { asPages } from './chunking-texts.ts';

describe('validateChunkingParams', () => {
  it('accepts the limits themselves and no parameters at all', () => {
    assert.deepEqual(validateChunkingParams('recursive', { chunk_size: 1, chunk_overlap: 0 }), []);
    assert.deepEqual(validateChunkingParams('token', { chunk_size: CHUNKING_LIMITS.maxChunkSize, chunk_overlap: CHUNKING_LIMITS.maxChunkSize - 1 }), []);
    assert.deepEqual(validateChunkingParams('page', undefined), []);
    assert.deepEqual(validateChunkingParams('fixed_size', { chunk_size: null, chunk_overlap: null }), []);
  });

  it('names the field and the limit for each bad value', () => {
    assert.deepEqual(validateChunkingParams('recursive', { chunk_size: 0 }), [{ path: 'body.chunking_params.chunk_size', message: 'must be an integer from 1 to 100000' }]);
    assert.deepEqual(validateChunkingParams('recursive', { chunk_size: 100_001 }).map((e) => e.path), ['body.chunking_params.chunk_size']);
    assert.deepEqual(validateChunkingParams('recursive', { chunk_size: 10.5 }).map((e) => e.path), ['body.chunking_params.chunk_size']);
    assert.deepEqual(validateChunkingParams('recursive', { chunk_overlap: -1 }), [{ path: 'body.chunking_params.chunk_overlap', message: 'must be an integer from 0 to chunk_size - 1' }]);
    assert.deepEqual(validateChunkingParams('sentence', { chunk_size: 'big' as unknown as number, chunk_overlap: 'x' as unknown as number }).length, 2);
  });

  it('rejects an overlap as large as the chunk (the seed accepted it and failed in the worker)', () => {
    assert.deepEqual(validateChunkingParams('recursive', { chunk_size: 400, chunk_overlap: 400 }), [{ path: 'body.chunking_params.chunk_overlap', message: 'must be smaller than chunk_size (400)' }]);
    assert.deepEqual(validateChunkingParams('recursive', { chunk_overlap: 1000 }).map((e) => e.path), ['body.chunking_params.chunk_overlap'], 'against the default chunk_size');
  });

  it('rejects an unknown strategy on body.chunking_strategy', () => {
    assert.deepEqual(validateChunkingParams('semantic', {}).map((e) => e.path), ['body.chunking_strategy']);
  });
});

describe('resolveChunkingParams', () => {
  it("uses the seed worker's defaults, 1000 and 0, for missing or null values", () => {
    assert.deepEqual(resolveChunkingParams('recursive', {}), { chunkSize: 1000, chunkOverlap: 0 });
    assert.deepEqual(resolveChunkingParams('recursive', { chunk_size: null, chunk_overlap: 5 }), { chunkSize: 1000, chunkOverlap: 5 });
  });

  it('refuses what validation rejects, so a worker never chunks with bad values', () => {
    assert.throws(() => chunkText(asPages(['text']), 'recursive', { chunk_size: 10, chunk_overlap: 10 }), RangeError);
  });
});
