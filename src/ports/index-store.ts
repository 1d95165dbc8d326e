import type { TopicChunk, TopicIndex } from '../domain/topics.js';
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
  /** Whether a topic index is kept beside this index ('unsupported': none can be, e.g. on object storage). */
  topicsState(): Promise<'present' | 'absent' | 'unsupported'>;
  /** The topic index kept beside this index, or null (none, unreadable, or unsupported). */
  readTopics(): Promise<TopicIndex | null>;
  /** Replace the topic index (null removes it); does nothing where none can be kept. */
  writeTopics(topics: TopicIndex | null): Promise<void>;
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
