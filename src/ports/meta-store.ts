/** Per-standard usage counters (StandardMetadata.query_count). */
export interface UsageStats {
  file: string;
  queryCount: number;
  lastQueriedAt: string | null;
}

/** Small durable state next to the index: embedding cache and usage counters. */
export interface MetaStore {
  /** Cached vectors by text hash for one embedder id; missing hashes are absent from the map. */
  getEmbeddings(embedderId: string, textHashes: readonly string[]): Map<string, Float32Array>;
  putEmbeddings(embedderId: string, entries: ReadonlyArray<readonly [string, Float32Array]>): void;
  /** Count one appearance of each file in a result list. */
  recordHits(files: readonly string[]): void;
  usage(): UsageStats[];
  close(): void;
}
