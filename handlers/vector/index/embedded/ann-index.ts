// One usearch HNSW index per vector index, kept in memory and saved to DATA_DIR. SQLite is the
// source of truth; this file only follows it:
// - writes commit to SQLite first, then touch the in-memory ANN (both synchronous, same tick);
// - the ANN file is saved later (debounced) to <name>.usearch via a temporary file and a rename;
// - keys deleted in SQLite are logged in removed_keys until a save covers them;
// - at load, the logged removals are replayed and every SQLite key the file lacks is added.
// So a kill -9 at any point (between a commit and a save, or mid-save) leaves at worst an older
// or missing file that load() brings up to date. A key is never reused (AUTOINCREMENT), and
// every search result is re-read from SQLite through the live-generation join, so a stale entry
// in the ANN can cost a result slot but can never surface a deleted or foreign record.
// usearch 2.25.3 crashes the process (SIGSEGV) on a damaged file instead of throwing, so a file is
// loaded only when its length and CRC-32 match the seal written beside it; otherwise it is rebuilt.
import { closeSync, existsSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { Index, MetricKind, ScalarKind } from 'usearch';
import type { VectorSpace } from '../ports.ts';
import type { IndexRow, RecordStore } from './record-store.ts';

/** HNSW parameters: connectivity (M), expansion at add (efConstruction) and at search (ef). */
export const ANN_PARAMS = { connectivity: 16, expansion_add: 128, expansion_search: 64 };
const METRICS: Record<VectorSpace, MetricKind> = { cosine: MetricKind.Cos, l2: MetricKind.L2sq, innerproduct: MetricKind.IP };
const CATCH_UP_BATCH = 1000;
const READ_CHUNK = 8 * 1024 * 1024;

interface Seal {
  bytes: number;
  crc32: number;
}

function sealOf(path: string): Seal {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    let crc = 0;
    let bytes = 0;
    for (let read; (read = readSync(fd, buffer, 0, READ_CHUNK, null)) > 0; bytes += read) crc = crc32(buffer.subarray(0, read), crc);
    return { bytes, crc32: crc };
  } finally {
    closeSync(fd);
  }
}

function isSealed(file: string): boolean {
  try {
    const seal = JSON.parse(readFileSync(`${file}.seal`, 'utf8')) as Seal;
    if (statSync(file).size !== seal.bytes) return false;
    const actual = sealOf(file);
    return actual.bytes === seal.bytes && actual.crc32 === seal.crc32;
  } catch {
    return false;
  }
}

export const metricOf = (space: VectorSpace) => METRICS[space];

/** The space's raw measure from a usearch distance: cos and ip distances are 1 − similarity, l2sq is the squared distance. */
export const measureOf = (space: VectorSpace, distance: number) => (space === 'l2' ? distance : 1 - distance);

export class AnnIndex {
  private dirty = false;

  private constructor(
    private readonly file: string,
    private readonly records: RecordStore,
    private readonly row: IndexRow,
    private readonly threads: number,
    private index: Index,
  ) {}

  static open(file: string, records: RecordStore, row: IndexRow, threads: number): AnnIndex {
    const ann = new AnnIndex(file, records, row, threads, AnnIndex.fresh(row));
    if (existsSync(file) && !isSealed(file)) ann.dirty = true; // damaged or half-written: rebuilt from SQLite below
    else if (existsSync(file)) {
      try {
        ann.index.load(file);
        if (ann.index.dimensions() !== row.dimension) throw new Error('dimension changed');
      } catch {
        ann.index = AnnIndex.fresh(row); // unreadable or foreign: rebuilt from SQLite below
        ann.dirty = true;
      }
    }
    ann.catchUp();
    return ann;
  }

  private static fresh(row: IndexRow): Index {
    return new Index({ dimensions: row.dimension, metric: METRICS[row.space], quantization: ScalarKind.F32, multi: false, ...ANN_PARAMS });
  }

  private catchUp(): void {
    const removed = this.records.removedKeys(this.row);
    if (removed.keys.length > 0) this.remove(removed.keys);
    const keys = this.records.allKeys(this.row);
    const present = keys.length > 0 ? (this.index.contains(keys) as boolean[]) : [];
    const missing = Array.from(keys.filter((_, i) => !present[i]), Number);
    for (let i = 0; i < missing.length; i += CATCH_UP_BATCH) {
      const batch = missing.slice(i, i + CATCH_UP_BATCH);
      this.index.add(BigUint64Array.from(batch, BigInt), this.records.vectorsOf(batch, this.row.dimension), this.threads);
      this.dirty = true;
    }
    if (this.dirty) this.save();
  }

  get size(): number {
    return this.index.size();
  }

  get needsSave(): boolean {
    return this.dirty;
  }

  add(entries: { key: number; vector: Float32Array }[]): void {
    if (entries.length === 0) return;
    const vectors = new Float32Array(entries.length * this.row.dimension);
    entries.forEach((entry, i) => vectors.set(entry.vector, i * this.row.dimension));
    this.index.add(BigUint64Array.from(entries, (entry) => BigInt(entry.key)), vectors, this.threads);
    this.dirty = true;
  }

  remove(keys: BigUint64Array | number[]): void {
    if (keys.length === 0) return;
    this.index.remove(keys instanceof BigUint64Array ? keys : BigUint64Array.from(keys, BigInt));
    this.dirty = true;
  }

  /** Up to `count` nearest keys with their usearch distances, nearest first. */
  search(query: Float32Array, count: number): { keys: number[]; distances: Float32Array } {
    const matches = this.index.search(query, count, 1);
    return { keys: Array.from(matches.keys, Number), distances: matches.distances };
  }

  /** Writes the file and its seal atomically (temporary files, then renames) and forgets the removals it now holds. */
  save(): void {
    const upTo = this.records.removedKeys(this.row).upTo;
    const temporary = `${this.file}.tmp`;
    this.index.save(temporary);
    // The seal first: a crash between the renames leaves a seal that fails, never a file trusted wrongly.
    writeFileSync(`${temporary}.seal`, JSON.stringify(sealOf(temporary)));
    renameSync(`${temporary}.seal`, `${this.file}.seal`);
    renameSync(temporary, this.file);
    this.records.forgetRemovedKeys(this.row, upTo);
    this.dirty = false;
  }

  deleteFile(): void {
    rmSync(this.file, { force: true });
    for (const suffix of ['.tmp', '.seal', '.tmp.seal']) rmSync(`${this.file}${suffix}`, { force: true });
  }
}
