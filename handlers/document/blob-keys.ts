// Where a job's objects live in the app's blob namespace. Fixed per (job, file), so a file run
// twice (a retry, a redelivery after a crash) overwrites its results instead of adding copies.
import type { BlobStore } from '../platform/blobs/ports.ts';

export const sourceKey = (jobId: string, fileName: string) => `extraction/${jobId}/sources/${fileName}`;
export const textKey = (jobId: string, fileName: string) => `extraction/${jobId}/results/${fileName}/extracted_text.json`;
export const tablesKey = (jobId: string, fileName: string) => `extraction/${jobId}/results/${fileName}/extracted_tables.json`;
export const chunksKey = (chunkingJobId: string, fileName: string) => `chunking/${chunkingJobId}/${fileName}/chunks.json`;

/** Removes a file's results again (its job was deleted while the file ran). */
export const discardKeys = async (blobs: BlobStore, appId: string, keys: string[]) => {
  await Promise.all(keys.map((key) => blobs.delete(appId, key)));
};
