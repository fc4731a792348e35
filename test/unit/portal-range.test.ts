// The usage dashboard's ranges (admin-ui/src/lib/range.ts): buckets line up with the clock and a
// range never asks the admin API for more buckets than it allows.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bucketFor, customRange, presetRange, PRESETS } from '../../admin-ui/src/lib/range.ts';

const SECONDS = { MINUTE: 60, HOUR: 3_600, DAY: 86_400 };

describe('portal ranges', () => {
  it('ends a preset at the end of the current bucket and starts it on a bucket boundary', () => {
    const now = Date.parse('2026-12-01T18:29:41.123Z');
    assert.deepEqual(presetRange('24h', now), { from: '2026-11-30T19:00:00.000Z', to: '2026-12-01T19:00:00.000Z', bucket: 'HOUR' });
    assert.deepEqual(presetRange('1h', now), { from: '2026-12-01T17:30:00.000Z', to: '2026-12-01T18:30:00.000Z', bucket: 'MINUTE' });
    assert.deepEqual(presetRange('30d', now), { from: '2026-11-02T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z', bucket: 'DAY' });
  });

  it('keeps every preset and the longest custom range within 1,000 buckets', () => {
    for (const { seconds } of PRESETS) assert.ok(seconds / SECONDS[bucketFor(seconds)] <= 1000, `${seconds}`);
    assert.ok((92 * 86_400) / SECONDS[bucketFor(92 * 86_400)] <= 1000);
    assert.ok((6 * 3_600) / SECONDS[bucketFor(6 * 3_600)] <= 1000);
  });

  it('says why a custom range cannot be asked for', () => {
    assert.equal(customRange(Number.NaN, 0), 'Enter both a start and an end.');
    assert.equal(customRange(10, 10), 'The end must be after the start.');
    assert.equal(customRange(0, 93 * 86_400_000), 'A range covers at most 92 days.');
    assert.deepEqual(customRange(0, 3_600_000), { from: '1970-01-01T00:00:00.000Z', to: '1970-01-01T01:00:00.000Z', bucket: 'MINUTE' });
  });
});
