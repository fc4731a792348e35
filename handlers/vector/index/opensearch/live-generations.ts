// Which generation of each file is live, for the OpenSearch adapter. OpenSearch has no
// multi-document transaction, and a vector-search collection assigns its own document ids, so the
// swap is a single write here — the pointer — and every search filters on the live
// file_generation keys it reads from here. The service backs this with its metadata store
// (DynamoDB on AWS: one item per index, a conditional update); tests use the in-memory one.
export interface LiveGenerations {
  /** file name → live generation. */
  live(indexId: string): Promise<Map<string, string>>;
  /** Atomically makes `generation` the file's live one; returns the one it replaced. */
  swap(indexId: string, fileName: string, generation: string): Promise<string | undefined>;
  remove(indexId: string, fileName: string): Promise<void>;
  drop(indexId: string): Promise<void>;
}

export function inMemoryLiveGenerations(): LiveGenerations {
  const byIndex = new Map<string, Map<string, string>>();
  const of = (indexId: string) => byIndex.get(indexId) ?? byIndex.set(indexId, new Map()).get(indexId)!;
  return {
    async live(indexId) {
      return new Map(of(indexId));
    },
    async swap(indexId, fileName, generation) {
      const previous = of(indexId).get(fileName);
      of(indexId).set(fileName, generation);
      return previous;
    },
    async remove(indexId, fileName) {
      of(indexId).delete(fileName);
    },
    async drop(indexId) {
      byIndex.delete(indexId);
    },
  };
}

/** The keyword every document carries so that one terms filter selects live generations. */
export const fileGeneration = (fileName: string, generation: string) => `${fileName}\u001f${generation}`;
