import type { ChunkOptions } from '../domain/chunking.js';
import { domainAndTopic } from '../domain/standard-path.js';
import { decodeStandard } from '../domain/decode.js';
import { AgentOsError, isAgentOsError, messageOf } from '../domain/errors.js';
import { sha256 } from '../domain/hashing.js';
import type { Chunk } from '../domain/standard.js';
import { buildTopics, extendDelta, topicsStale, type TopicChunk, type TopicOptions } from '../domain/topics.js';
import type { Embedder } from '../ports/embedder.js';
import type { IndexedFile, IndexStore, StoreProvider, StoredChunk } from '../ports/index-store.js';
import type { HeldLock, WriterLock } from '../ports/lock.js';
import type { Logger } from '../ports/logger.js';
import type { FileSignature, MetaStore, StandardAuthorship } from '../ports/meta-store.js';
import type { StandardsRepo } from '../ports/standards-repo.js';

export interface IndexDeps {
  repo: StandardsRepo;
  stores: StoreProvider;
  embedder: Embedder | null;
  meta: MetaStore;
  lock: WriterLock;
  logger: Logger;
  chunking: ChunkOptions & { maxFileBytes: number; batchSize: number };
  /** Clock (ms since the epoch); decides when a file's change signature may be trusted. */
  now?: () => number;
  /** The topic index kept beside the index (absent or null: none). */
  topics?: TopicOptions | null;
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
  /** What happened to the topic index: fitted anew, changed chunks folded in, removed (too few chunks), or nothing. */
  topics: 'fitted' | 'folded' | 'removed' | 'none';
  durationMs: number;
}

interface ScannedFile {
  file: string;
  hash: string;
  /** Null when the hash came from the file's recorded signature: read on demand. */
  bytes: Uint8Array | null;
  signature?: string;
  changedAt?: number;
}

/**
 * A file changed less than this long ago may change again within the same timestamp tick (coarse file
 * system clocks), so its signature is not recorded until it is older.
 */
const RACY_MS = 2000;

/** Standard files read at once while scanning. */
const SCAN_CONCURRENCY = 16;

/** Runs `task(0 … count-1)` with at most `limit` of them pending at a time. */
async function forEachConcurrently(count: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

/** The part of IndexDeps planning needs: no lock, no meta store. */
export type PlanDeps = Pick<IndexDeps, 'repo' | 'stores' | 'embedder' | 'logger' | 'chunking'>;

/** What an index run would do, computed without writing anything. */
export interface IndexPlan {
  /** `keyword` when there is no embedder or its model does not load. */
  mode: 'hybrid' | 'keyword';
  embedder: string | null;
  /** Why the configured embedder is not used, when it failed to load. */
  embedderError: string | null;
  /** Whether the index for this mode exists (false: the next run builds it). */
  indexExists: boolean;
  /** Standard files found on disk (after size and readability checks). */
  files: number;
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
  /** The next run rewrites everything: requested, or the index is missing or unreadable. */
  fullRebuild: boolean;
  skipped: Array<{ file: string; reason: string }>;
  warnings: string[];
}

interface Planned {
  plan: IndexPlan;
  embedder: Embedder | null;
  store: IndexStore;
  /** Files whose chunks must be (re)written. */
  toChunk: ScannedFile[];
  /** Every standard file read. */
  scanned: ScannedFile[];
}

/**
 * Scan the standards and compare them with the index: which files would be added, changed or
 * removed, and whether a full rebuild is due. Loads the embedding model (to report the mode) but
 * writes nothing and takes no lock; `agent-os doctor` uses it to report staleness.
 */
export async function planIndex(deps: PlanDeps, input: Pick<IndexInput, 'full' | 'onProgress'> = {}): Promise<IndexPlan> {
  return (await scanAndDiff(deps, { ...input, checkModel: true })).plan;
}

/** What a scan may reuse: content hashes recorded against files' change signatures. */
type KnownSignatures = ReadonlyMap<string, FileSignature>;

async function scanAndDiff(deps: PlanDeps, input: Pick<IndexInput, 'full' | 'onProgress'> & { checkModel?: boolean; known?: KnownSignatures }): Promise<Planned> {
  const { repo, logger } = deps;
  if (!(await repo.exists())) {
    throw new AgentOsError('NOT_INITIALIZED', `No standards directory at ${repo.dir}.`, {
      hint: 'Run `agent-os init` to create it, or pass --root to point at your project.',
    });
  }
  const warnings: string[] = [];
  const skipped: IndexPlan['skipped'] = [];

  const entries = await repo.list();
  const results: Array<ScannedFile | { file: string; reason: string } | null> = new Array(entries.length).fill(null);
  let done = 0;
  // Reads overlap (a few at a time): one after another, the per-call cost of thousands of small files adds up.
  await forEachConcurrently(entries.length, SCAN_CONCURRENCY, async (i) => {
    const entry = entries[i]!;
    input.onProgress?.({ phase: 'scanning', done: done++, total: entries.length });
    if (!domainAndTopic(entry.file)) return;
    if (entry.size > deps.chunking.maxFileBytes) {
      results[i] = { file: entry.file, reason: `larger than ${deps.chunking.maxFileBytes} bytes` };
      return;
    }
    const known = input.full ? undefined : input.known?.get(entry.file);
    const stat = { signature: entry.signature, changedAt: entry.changedAt };
    if (known && entry.signature !== undefined && known.signature === entry.signature) {
      results[i] = { file: entry.file, hash: known.fileHash, bytes: null, ...stat };
      return;
    }
    try {
      const bytes = await repo.read(entry.file);
      results[i] = { file: entry.file, hash: sha256(bytes), bytes, ...stat };
    } catch (e) {
      results[i] = { file: entry.file, reason: `unreadable: ${messageOf(e)}` };
    }
  });
  const scanned: ScannedFile[] = [];
  for (const r of results) {
    if (r === null) continue;
    if ('reason' in r) skipped.push(r);
    else scanned.push(r);
  }

  let embedder = deps.embedder;
  let embedderError: string | null = null;
  let loaded = false;
  const loadModel = async (): Promise<void> => {
    if (!embedder || loaded) return;
    loaded = true;
    try {
      await embedder.load();
    } catch (e) {
      const msg = isAgentOsError(e) ? e.describe() : messageOf(e);
      warnings.push(`Embedding model unavailable, building a keyword-only index: ${msg}`);
      logger.warn('embedding model unavailable; keyword-only index', { error: msg });
      embedderError = msg;
      embedder = null;
    }
  };
  // The model loads only when it is needed: to learn its vector size, to report on it, or to embed.
  // An up-to-date index costs a scan and a hash per file, never a model load.
  if (embedder && (embedder.dimensions === 0 || input.checkModel)) await loadModel();
  let d = await diffAgainst(deps.stores.forEmbedder(embedder), scanned, input.full === true, warnings);
  if (embedder && !loaded && d.toChunk.length + d.removed.length > 0) {
    await loadModel();
    if (!embedder) d = await diffAgainst(deps.stores.forEmbedder(null), scanned, input.full === true, warnings);
  }
  const { store, indexExists, fullRebuild, added, changed, removed, toChunk } = d;
  const unchanged = scanned.length - added.length - changed.length;
  const plan: IndexPlan = {
    mode: embedder ? 'hybrid' : 'keyword',
    embedder: embedder?.id ?? null,
    embedderError,
    indexExists,
    files: scanned.length,
    added,
    changed,
    removed,
    unchanged,
    fullRebuild,
    skipped,
    warnings,
  };
  return { plan, embedder, store, toChunk, scanned };
}

interface Diff {
  store: IndexStore;
  indexExists: boolean;
  fullRebuild: boolean;
  added: string[];
  changed: string[];
  removed: string[];
  toChunk: ScannedFile[];
}

async function diffAgainst(store: IndexStore, scanned: ScannedFile[], full: boolean, warnings: string[]): Promise<Diff> {
  let indexed: IndexedFile[] | null;
  try {
    indexed = await store.listFiles();
  } catch (e) {
    warnings.push(`The index could not be read and is rebuilt: ${messageOf(e)}`);
    indexed = null;
  }
  const fullRebuild = full || indexed === null;
  const before = new Map((indexed ?? []).map((f) => [f.file, f.fileHash]));
  const onDisk = new Set(scanned.map((s) => s.file));
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
  return { store, indexExists: indexed !== null, fullRebuild, added, changed, removed, toChunk };
}

/**
 * Bring the index in line with the standards on disk: unchanged files cost nothing, changed files
 * are re-chunked (vectors come from the embedding cache when their text was seen before), deleted
 * files leave. Holds the writer lock throughout; the store commits all changes at once. The meta
 * store's record of each file's authorship (front matter) follows the file content the same way.
 */
export async function indexStandards(deps: IndexDeps, input: IndexInput = {}): Promise<IndexReport> {
  const started = Date.now();
  return deps.lock.withLock((held) => indexLocked(deps, input, started, held));
}

/**
 * Stops the run once the writer lock is no longer ours: another writer may be committing, and two
 * commits at once could mix their files. What was left undone, the next run finds by content hash.
 */
function ensureHeld(held: HeldLock, stage: 'before writing' | 'after writing the index'): void {
  const why = held.lost();
  if (why === null) return;
  const done = stage === 'before writing' ? 'The index was not changed.' : 'The index itself was written; the authorship records and old tables were left for the next run.';
  throw new AgentOsError('LOCKED', `Indexing stopped ${stage}: the index writer lock ${held.name} was lost (${why}). ${done}`, {
    hint:
      'Run `agent-os index` again: it brings the index up to date by content hash. This happens when a process stalls ' +
      'for longer than the lock\'s stale time (a suspended laptop, a starved machine) or something removes .agent-os/.cache while indexing.',
  });
}

/**
 * Record the signatures of files read in this scan (old enough to trust) and forget those of files
 * gone, so the next scan hashes only what changed. A recorded hash is a fact about the content, not
 * about the index: recording it before the index is written is safe.
 */
function recordSignatures(deps: IndexDeps, known: KnownSignatures, scanned: readonly ScannedFile[]): void {
  const now = (deps.now ?? Date.now)();
  const fresh: FileSignature[] = [];
  for (const s of scanned) {
    if (s.bytes === null || s.signature === undefined || s.changedAt === undefined) continue;
    if (now - s.changedAt <= RACY_MS) continue;
    const k = known.get(s.file);
    if (k?.signature !== s.signature || k.fileHash !== s.hash) fresh.push({ file: s.file, signature: s.signature, fileHash: s.hash });
  }
  const onDisk = new Set(scanned.map((s) => s.file));
  deps.meta.putFileSignatures(fresh, [...known.keys()].filter((f) => !onDisk.has(f)));
}

const topicChunkOf = (c: Chunk): TopicChunk => ({
  ref: { id: c.id, file: c.file, domain: c.domain, ordinal: c.ordinal, appliesTo: c.appliesTo, title: c.title, section: c.section },
  title: c.title,
  section: c.section,
  text: c.text,
});

/** Whether an up-to-date index needs its topic index (re)built: none, unreadable, or fitted with other settings. */
async function topicsDue(store: IndexStore, opts: TopicOptions): Promise<boolean> {
  const topics = store.topics();
  if (!topics) return false;
  if ((await topics.state()) === 'absent') return true;
  const current = await topics.readForUpdate();
  return !current || topicsStale(current.fit, current.delta, opts);
}

/**
 * Bring the topic index up to date after a write: fit it anew on a full rebuild, when there is none,
 * or when it is stale (`topicsStale`); otherwise fold the written chunks into the delta.
 */
async function refreshTopics(deps: IndexDeps, store: IndexStore, held: HeldLock, run: { full: boolean; chunks: readonly Chunk[]; touched: readonly string[] }): Promise<IndexReport['topics']> {
  const opts = deps.topics;
  const topics = store.topics();
  if (!opts || !topics) return 'none';
  const present = (await topics.state()) === 'present';
  const current = run.full || !present ? null : await topics.readForUpdate();
  if (current) {
    const delta = extendDelta(current.fit.model, current.delta, new Set(run.touched), run.chunks.map(topicChunkOf));
    if (!topicsStale(current.fit, delta, opts)) {
      ensureHeld(held, 'after writing the index');
      await topics.writeDelta(delta);
      return 'folded';
    }
  }
  const next = buildTopics(run.full ? run.chunks.map(topicChunkOf) : await store.topicChunks(), opts, topics.newFitId());
  ensureHeld(held, 'after writing the index');
  if (next) await topics.writeFit(next);
  else await topics.remove();
  if (!next) return present ? 'removed' : 'none';
  return 'fitted';
}

async function indexLocked(deps: IndexDeps, input: IndexInput, started: number, held: HeldLock): Promise<IndexReport> {
  const { logger } = deps;
  const known = deps.meta.fileSignatures();
  const { plan, embedder, store, toChunk, scanned } = await scanAndDiff(deps, { ...input, known });
  recordSignatures(deps, known, scanned);
  const { added, changed, removed, unchanged, fullRebuild, skipped, warnings } = plan;
  // Authorship is recorded apart from the index, so it is due also where the index is current
  // but the record is not (e.g. an index built before authorship was recorded).
  const recorded = deps.meta.authorshipHashes();
  const chunkFiles = new Set(toChunk.map((s) => s.file));
  const toParse = scanned.filter((s) => chunkFiles.has(s.file) || recorded.get(s.file) !== s.hash);
  const onDisk = new Set(scanned.map((s) => s.file));
  const forgotten = [...recorded.keys()].filter((f) => !onDisk.has(f));
  const indexWork = fullRebuild || toChunk.length > 0 || removed.length > 0;

  let topics: IndexReport['topics'] = 'none';
  const report = (chunksWritten: number, embedded: number, cacheHits: number): IndexReport => ({
    mode: plan.mode,
    embedder: plan.embedder,
    files: plan.files,
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
    topics,
    durationMs: Date.now() - started,
  });

  if (!indexWork && toParse.length === 0 && forgotten.length === 0) {
    // An index built before topic indexes existed, with other settings, or whose topic file is damaged
    // gets a new one without waiting for an edit.
    if (plan.indexExists && deps.topics && (await topicsDue(store, deps.topics))) topics = await refreshTopics(deps, store, held, { full: false, chunks: [], touched: [] });
    return report(0, 0, 0);
  }

  // The Markdown parser is the heaviest module here; an up-to-date index never loads it.
  const { chunkStandard, parseStandard } = await import('../domain/chunking.js');
  const chunks: Chunk[] = [];
  const authorship: StandardAuthorship[] = [];
  for (const s of toParse) {
    // Files parsed only for their authorship were reported when they were indexed.
    const toIndex = chunkFiles.has(s.file);
    let bytes = s.bytes;
    let hash = s.hash;
    if (bytes === null) {
      // Known by its signature so far; if it changed since, what is read now is what gets indexed.
      try {
        bytes = await deps.repo.read(s.file);
        hash = sha256(bytes);
      } catch (e) {
        if (toIndex) skipped.push({ file: s.file, reason: `unreadable: ${messageOf(e)}` });
        continue;
      }
    }
    const entry: StandardAuthorship = { file: s.file, fileHash: hash, createdBy: null, approvedBy: null };
    authorship.push(entry);
    const decoded = decodeStandard(bytes);
    if ('reason' in decoded) {
      if (toIndex) skipped.push({ file: s.file, reason: decoded.reason });
      continue;
    }
    if (decoded.warning && toIndex) warnings.push(`${s.file}: ${decoded.warning}`);
    try {
      const parsed = parseStandard(s.file, decoded.text, hash);
      entry.createdBy = parsed.doc.frontMatter.created_by?.trim() || null;
      entry.approvedBy = parsed.doc.frontMatter.approved_by?.trim() || null;
      if (!toIndex) continue;
      warnings.push(...parsed.warnings);
      const fileChunks = chunkStandard(parsed.doc, deps.chunking);
      if (fileChunks.length === 0) warnings.push(`${s.file}: empty, nothing to index`);
      chunks.push(...fileChunks);
    } catch (e) {
      if (toIndex) skipped.push({ file: s.file, reason: `could not be parsed: ${messageOf(e)}` });
    }
  }
  if (!indexWork) {
    ensureHeld(held, 'before writing');
    deps.meta.putAuthorship(authorship, forgotten);
    return report(0, 0, 0);
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
      ensureHeld(held, 'before writing');
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
  ensureHeld(held, 'before writing');
  await store.replaceFiles(touched, stored, fullRebuild);
  ensureHeld(held, 'after writing the index');
  topics = await refreshTopics(deps, store, held, { full: fullRebuild, chunks, touched });
  deps.meta.putAuthorship(authorship, forgotten);
  // A keyword-only build (model failed to load) keeps the vector index of an earlier build.
  if (fullRebuild && embedder) {
    const dropped = await deps.stores.dropOthers(embedder);
    if (dropped.length) logger.info('dropped stale indexes', { dropped });
  }
  input.onProgress?.({ phase: 'writing', done: chunks.length, total: chunks.length });
  return report(stored.length, embedded, cacheHits);
}
