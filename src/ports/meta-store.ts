/** Per-standard usage counters (StandardMetadata.query_count). */
export interface UsageStats {
  file: string;
  queryCount: number;
  lastQueriedAt: string | null;
}

/** Who wrote and approved a standard by its front matter, recorded when the file is indexed. */
export interface StandardAuthorship {
  file: string;
  /** sha256 of the file content the values were read from. */
  fileHash: string;
  createdBy: string | null;
  approvedBy: string | null;
}

/** A standard file's content hash, valid while its change signature (`StandardEntry.signature`) holds. */
export interface FileSignature {
  file: string;
  signature: string;
  fileHash: string;
}

/** What the store knows of a standard that search shows beside its sections. */
export interface StandardInfo {
  createdBy: string | null;
  approvedBy: string | null;
  queryCount: number;
}

/** Small durable state next to the index: embedding cache, standards' front matter and usage counters. */
export interface MetaStore {
  /** Cached vectors by text hash for one embedder id; missing hashes are absent from the map. */
  getEmbeddings(embedderId: string, textHashes: readonly string[]): Map<string, Float32Array>;
  putEmbeddings(embedderId: string, entries: ReadonlyArray<readonly [string, Float32Array]>): void;
  /** Count one appearance of each file in a result list. */
  recordHits(files: readonly string[]): void;
  usage(): UsageStats[];
  /** The file hash each recorded authorship was read from, by file. */
  authorshipHashes(): Map<string, string>;
  /** Record (replace) the authorship of these files and forget that of `removed`, in one transaction. */
  putAuthorship(entries: readonly StandardAuthorship[], removed: readonly string[]): void;
  /** Recorded change signatures of the standard files, by file. */
  fileSignatures(): Map<string, FileSignature>;
  /** Record (replace) these signatures and forget those of `removed`, in one transaction. */
  putFileSignatures(entries: readonly FileSignature[], removed: readonly string[]): void;
  /** Recorded authorship and query count of these files (zero and nulls when nothing is recorded). */
  standardInfo(files: readonly string[]): Map<string, StandardInfo>;
  close(): void;
}
