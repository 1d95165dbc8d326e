import { chunkStandard, domainAndTopic, parseStandard, type ChunkOptions } from '../domain/chunking.js';
import { AgentOsError, isAgentOsError, messageOf } from '../domain/errors.js';
import { sha256 } from '../domain/hashing.js';
import type { Chunk } from '../domain/standard.js';
import type { Embedder } from '../ports/embedder.js';
import type { IndexedFile, StoreProvider, StoredChunk } from '../ports/index-store.js';
import type { WriterLock } from '../ports/lock.js';
import type { Logger } from '../ports/logger.js';
import type { MetaStore } from '../ports/meta-store.js';
import type { StandardsRepo } from '../ports/standards-repo.js';

export interface IndexDeps {
  repo: StandardsRepo;
  stores: StoreProvider;
  embedder: Embedder | null;
  meta: MetaStore;
  lock: WriterLock;
  logger: Logger;
  chunking: ChunkOptions & { maxFileBytes: number; batchSize: number };
}

export interface IndexProgress {
  phase: 'scanning' | 'embedding' | 'writing';
  done: number;
  total: number;
}

export interface IndexInput {
  full?: boolean;
  onProgress?: (p: IndexProgress) => void;
  signal?: AbortSignal;
}

export interface IndexReport {
  mode: 'hybrid' | 'keyword';
  embedder: string | null;
  files: number;
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
  chunksWritten: number;
  embedded: number;
  cacheHits: number;
  skipped: Array<{ file: string; reason: string }>;
  warnings: string[];
  fullRebuild: boolean;
  durationMs: number;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Decode bytes as UTF-8, or explain why the file is not text. */
function decode(bytes: Uint8Array): { text: string } | { reason: string } {
  if (bytes.includes(0)) return { reason: 'binary file (contains NUL bytes)' };
  const text = decoder.decode(bytes);
  const bad = (text.match(/\uFFFD/g) ?? []).length;
  if (bad > 0 && bad / Math.max(1, text.length) > 0.05) return { reason: 'not UTF-8 text' };
  return { text: text.replace(/^\uFEFF/, '') };
}

interface ScannedFile {
  file: string;
  hash: string;
  bytes: Uint8Array;
}

/**
 * Bring the index in line with the standards on disk: unchanged files cost nothing, changed files
 * are re-chunked (vectors come from the embedding cache when their text was seen before), deleted
 * files leave. Holds the writer lock throughout; the store commits all changes at once.
 */
export async function indexStandards(deps: IndexDeps, input: IndexInput = {}): Promise<IndexReport> {
  const started = Date.now();
  return deps.lock.withLock(() => indexLocked(deps, input, started));
}

async function indexLocked(deps: IndexDeps, input: IndexInput, started: number): Promise<IndexReport> {
  const { repo, logger } = deps;
  if (!(await repo.exists())) {
    throw new AgentOsError('NOT_INITIALIZED', `No standards directory at ${repo.dir}.`, {
      hint: 'Run `agent-os init` to create it, or pass --root to point at your project.',
    });
  }
  const warnings: string[] = [];
  const skipped: IndexReport['skipped'] = [];

  let embedder = deps.embedder;
  if (embedder) {
    try {
      await embedder.load();
    } catch (e) {
      const msg = isAgentOsError(e) ? e.describe() : messageOf(e);
      warnings.push(`Embedding model unavailable, building a keyword-only index: ${msg}`);
      logger.warn('embedding model unavailable; keyword-only index', { error: msg });
      embedder = null;
    }
  }
  const store = deps.stores.forEmbedder(embedder);

  const entries = await repo.list();
  const scanned: ScannedFile[] = [];
  for (const [i, entry] of entries.entries()) {
    input.onProgress?.({ phase: 'scanning', done: i, total: entries.length });
    if (!domainAndTopic(entry.file)) continue;
    if (entry.size > deps.chunking.maxFileBytes) {
      skipped.push({ file: entry.file, reason: `larger than ${deps.chunking.maxFileBytes} bytes` });
      continue;
    }
    try {
      const bytes = await repo.read(entry.file);
      scanned.push({ file: entry.file, hash: sha256(bytes), bytes });
    } catch (e) {
      skipped.push({ file: entry.file, reason: `unreadable: ${messageOf(e)}` });
    }
  }

  let indexed: IndexedFile[] | null;
  try {
    indexed = await store.listFiles();
  } catch (e) {
    warnings.push(`The index could not be read and is rebuilt: ${messageOf(e)}`);
    indexed = null;
  }
  const fullRebuild = input.full === true || indexed === null;
  const before = new Map((indexed ?? []).map((f) => [f.file, f.fileHash]));
  const onDisk = new Map(scanned.map((s) => [s.file, s]));

  const added: string[] = [];
  const changed: string[] = [];
  const toChunk: ScannedFile[] = [];
  for (const s of scanned) {
    const prev = before.get(s.file);
    if (prev === undefined) added.push(s.file);
    else if (prev !== s.hash) changed.push(s.file);
    if (fullRebuild || prev !== s.hash) toChunk.push(s);
  }
  const removed = [...before.keys()].filter((f) => !onDisk.has(f));
  const unchanged = scanned.length - added.length - changed.length;

  const report = (chunksWritten: number, embedded: number, cacheHits: number): IndexReport => ({
    mode: embedder ? 'hybrid' : 'keyword',
    embedder: embedder?.id ?? null,
    files: scanned.length,
    added,
    changed,
    removed,
    unchanged,
    chunksWritten,
    embedded,
    cacheHits,
    skipped,
    warnings,
    fullRebuild,
    durationMs: Date.now() - started,
  });

  if (!fullRebuild && toChunk.length === 0 && removed.length === 0) return report(0, 0, 0);

  const chunks: Chunk[] = [];
  for (const s of toChunk) {
    const decoded = decode(s.bytes);
    if ('reason' in decoded) {
      skipped.push({ file: s.file, reason: decoded.reason });
      continue;
    }
    try {
      const parsed = parseStandard(s.file, decoded.text, s.hash);
      warnings.push(...parsed.warnings);
      const fileChunks = chunkStandard(parsed.doc, deps.chunking);
      if (fileChunks.length === 0) warnings.push(`${s.file}: empty, nothing to index`);
      chunks.push(...fileChunks);
    } catch (e) {
      skipped.push({ file: s.file, reason: `could not be parsed: ${messageOf(e)}` });
    }
  }

  let embedded = 0;
  let cacheHits = 0;
  const vectors = new Map<string, Float32Array>();
  if (embedder) {
    const uniqueHashes = [...new Set(chunks.map((c) => c.textHash))];
    const cached = deps.meta.getEmbeddings(embedder.id, uniqueHashes);
    cacheHits = cached.size;
    for (const [h, v] of cached) vectors.set(h, v);
    const pending = new Set<string>();
    const missing = chunks.filter((c) => {
      if (vectors.has(c.textHash) || pending.has(c.textHash)) return false;
      pending.add(c.textHash);
      return true;
    });
    const batch = deps.chunking.batchSize;
    for (let i = 0; i < missing.length; i += batch) {
      if (input.signal?.aborted) throw new AgentOsError('INTERNAL', 'Indexing was cancelled.');
      input.onProgress?.({ phase: 'embedding', done: i, total: missing.length });
      const slice = missing.slice(i, i + batch);
      const vecs = await embedder.embedDocuments(slice.map((c) => c.text));
      const entries = slice.map((c, j) => [c.textHash, vecs[j]!] as const);
      deps.meta.putEmbeddings(embedder.id, entries);
      for (const [h, v] of entries) vectors.set(h, v);
      embedded += slice.length;
    }
    input.onProgress?.({ phase: 'embedding', done: missing.length, total: missing.length });
  }

  input.onProgress?.({ phase: 'writing', done: 0, total: chunks.length });
  const stored: StoredChunk[] = chunks.map((c) => ({ ...c, vector: embedder ? vectors.get(c.textHash) ?? null : null }));
  const touched = [...toChunk.map((s) => s.file), ...removed];
  await store.replaceFiles(touched, stored, fullRebuild);
  // A keyword-only build (model failed to load) keeps the vector index of an earlier build.
  if (fullRebuild && embedder) {
    const dropped = await deps.stores.dropOthers(embedder);
    if (dropped.length) logger.info('dropped stale indexes', { dropped });
  }
  input.onProgress?.({ phase: 'writing', done: chunks.length, total: chunks.length });
  return report(stored.length, embedded, cacheHits);
}
