import type { LsaModel } from '../domain/lsa.js';
import type { TopicChunk, TopicDelta, TopicIndex } from '../domain/topics.js';
import type { Chunk, ChunkRef } from '../domain/standard.js';
import type { Embedder } from './embedder.js';

/** A chunk plus its vector, as written to the store. */
export interface StoredChunk extends Chunk {
  vector: Float32Array | null;
}

/** A candidate from one of the two retrievers, best first. */
export interface Candidate {
  chunk: ChunkRef;
  /** Raw score of that retriever (BM25 score, or cosine similarity). */
  score: number;
}

/** What the index holds for one file. */
export interface IndexedFile {
  file: string;
  fileHash: string;
  chunks: number;
}

export interface StoreFilter {
  domain?: string;
}

/**
 * The chunk index: vectors and a full-text index over the same rows.
 * Writes are atomic per call: a reader sees the state before or after, never a mix.
 */
export interface IndexStore {
  /** Files present in the index for the given embedder id, or null if no index exists for it. */
  listFiles(): Promise<IndexedFile[] | null>;
  /**
   * Replace the chunks of `files` with `chunks` in one commit (files not present in `chunks`
   * are removed). `fullRebuild` drops everything else too.
   */
  replaceFiles(files: readonly string[], chunks: readonly StoredChunk[], fullRebuild: boolean): Promise<void>;
  /** Keyword retrieval (stemmed full-text search). */
  keywordSearch(query: string, limit: number, filter: StoreFilter): Promise<Candidate[]>;
  /** Vector retrieval; empty when the index has no vectors. */
  vectorSearch(vector: Float32Array, limit: number, filter: StoreFilter): Promise<Candidate[]>;
  /** Full chunks by id (for the final results); unknown ids are left out. */
  getChunks(ids: readonly string[]): Promise<Chunk[]>;
  /** Whether this index holds vectors (false after a keyword-only build). */
  hasVectors(): Promise<boolean>;
  /** Where the topic index of this index is kept, or null where none can be (an index on object storage). */
  topics(): TopicStore | null;
  /** Every chunk's reference and searchable text, for fitting a topic index. */
  topicChunks(): Promise<TopicChunk[]>;
  /** A number that changes whenever the index changes; used to invalidate caches. */
  version(): Promise<number>;
  close(): Promise<void>;
}

/** Opens the store for an embedder (null: the keyword-only index). */
export interface StoreProvider {
  forEmbedder(embedder: Embedder | null): IndexStore;
  /** Drop every index except the one for `keep`; returns the names dropped. */
  dropOthers(keep: Embedder | null): Promise<string[]>;
}

/** Finds the index to search: the current embedder's, or any keyword-capable one. */
export interface SearchIndexes {
  /** The store holding vectors of `embedder`, or null if none has been built. */
  vectorStore(embedder: Embedder): Promise<IndexStore | null>;
  /** Any built store usable for keyword search (prefers the embedder's), or null. */
  keywordStore(embedder: Embedder | null): Promise<IndexStore | null>;
}

/** A fit of the topic index without its chunks: enough to fold new chunks in. */
export interface TopicFit {
  fitId: string;
  model: LsaModel;
  fitted: number;
  requestedDims: number;
  /** Chunks and standard files in the fit. */
  chunks: number;
  files: number;
}

/** The topic index beside an index: a fit, and the delta incremental runs add to it. */
export interface TopicStore {
  state(): Promise<'present' | 'absent'>;
  /** The fit with its delta applied, or null (none, or unreadable). */
  read(): Promise<TopicIndex | null>;
  /** The fit's model and the current delta, without every chunk's vector (what an incremental run needs). */
  readForUpdate(): Promise<{ fit: TopicFit; delta: TopicDelta } | null>;
  /** Replace everything with a new fit. */
  writeFit(index: TopicIndex): Promise<void>;
  writeDelta(delta: TopicDelta): Promise<void>;
  remove(): Promise<void>;
  /** A fresh id for the next fit. */
  newFitId(): string;
}
