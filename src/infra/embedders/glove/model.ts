import { tokenizeText } from '../../../domain/tokenize.js';

/** Changes whenever tokenisation, weighting or the cache format changes: stored vectors become stale. */
export const GLOVE_EMBEDDER_ID = 'glove-100d-sif-v1';
export const GLOVE_DIMENSIONS = 100;

/**
 * SIF smoothing constant (the paper's usual value). With the Zipf estimate of p(w) it gives "the"
 * weight ~0.01, rank 10 ~0.13, rank 75 ~0.5 and rank 1000 ~0.93: function words fade, content stays.
 */
const SIF_A = 1e-3;

/** Words this frequent define the common component (rarer ones barely move it and cost load time). */
const COMMON_COMPONENT_RANKS = 50_000;

/** The arrays of a vectors file, as views over the file's bytes. */
export interface GloveTables {
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
export const MAX_WORD_BYTES = 48;

/** FNV-1a over a byte range: the hash of the vocabulary table stored in the vectors file. */
export function fnv1a(bytes: Uint8Array, start: number, end: number): number {
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
