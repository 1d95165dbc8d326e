import type { Ranked } from './fusion.js';
import { fitLsa, lsaTerms, lsaVector, type LsaModel } from './lsa.js';
import type { ChunkRef } from './standard.js';

/**
 * The topic index: an LSA model fitted to the project's own chunks and every chunk's place in it.
 * It answers a question by the sections whose words keep company with the question's words, which
 * the embedded static word vectors do far worse on this kind of text (bench/RESULTS.md, 2026-12-02
 * fourth). A fit writes the model and every chunk's vector; an incremental index run only folds the
 * chunks it wrote into the fitted model and records them, with the files they replace, in a delta
 * (`TopicDelta`), so an edit costs what it changed, not the size of the index.
 */
export interface TopicIndex {
  /** Names one fit; a delta applies only to the fit it was made against. */
  fitId: string;
  model: LsaModel;
  refs: ChunkRef[];
  /** Unit vectors, chunk after chunk (refs.length × model.dims). */
  vectors: Float32Array;
  /** Chunks the model was fitted on. */
  fitted: number;
  /** Dimensions asked for (the model has fewer when the text cannot fill them). */
  requestedDims: number;
}

/** What incremental runs changed since the fit: files whose fitted chunks are gone, and chunks folded in. */
export interface TopicDelta {
  fitId: string;
  replaced: string[];
  refs: ChunkRef[];
  vectors: Float32Array;
}

export interface TopicOptions {
  /** LSA dimensions. */
  dims: number;
  /** Below this many chunks no topic index is kept: too little text to learn which words go together. */
  minChunks: number;
  /** The model is fitted on at most this many chunks (evenly spread over the index); the rest are folded in. */
  maxFitChunks: number;
}

export const defaultTopicOptions: TopicOptions = { dims: 100, minChunks: 500, maxFitChunks: 6000 };

/** A chunk as the topic index reads it. */
export interface TopicChunk {
  ref: ChunkRef;
  title: string;
  section: string;
  text: string;
}

const termsOf = (c: TopicChunk): string[] => lsaTerms(`${c.title} ${c.section} ${c.text}`);

/** Fit a topic index to every chunk of the index, or null when there are fewer than `minChunks`. */
export function buildTopics(chunks: readonly TopicChunk[], opts: TopicOptions, fitId: string): TopicIndex | null {
  if (chunks.length < opts.minChunks || chunks.length === 0) return null;
  const terms = chunks.map(termsOf);
  const step = Math.max(1, chunks.length / opts.maxFitChunks);
  const sample: string[][] = [];
  for (let i = 0; i < chunks.length && sample.length < opts.maxFitChunks; i = Math.floor(sample.length * step)) sample.push(terms[i]!);
  const model = fitLsa(sample, { dims: opts.dims, minDocs: 2, oversample: 10, powerIterations: 2, seed: 1 });
  const vectors = new Float32Array(chunks.length * model.dims);
  terms.forEach((t, i) => vectors.set(lsaVector(model, t), i * model.dims));
  return { fitId, model, refs: chunks.map((c) => c.ref), vectors, fitted: sample.length, requestedDims: opts.dims };
}

/** An empty delta for a fit. */
export const emptyDelta = (fitId: string): TopicDelta => ({ fitId, replaced: [], refs: [], vectors: new Float32Array(0) });

/**
 * The delta after an incremental run wrote `added` for the `touched` files: their earlier chunks (fitted
 * or folded) are replaced, and the new ones are folded into the model (words it has not seen count for
 * nothing until the next fit).
 */
export function extendDelta(model: LsaModel, delta: TopicDelta, touched: ReadonlySet<string>, added: readonly TopicChunk[]): TopicDelta {
  const dims = model.dims;
  const keep: number[] = [];
  delta.refs.forEach((r, i) => {
    if (!touched.has(r.file)) keep.push(i);
  });
  const vectors = new Float32Array((keep.length + added.length) * dims);
  keep.forEach((i, k) => vectors.set(delta.vectors.subarray(i * dims, (i + 1) * dims), k * dims));
  added.forEach((c, k) => vectors.set(lsaVector(model, termsOf(c)), (keep.length + k) * dims));
  return {
    fitId: delta.fitId,
    replaced: [...new Set([...delta.replaced, ...touched])].sort(),
    refs: [...keep.map((i) => delta.refs[i]!), ...added.map((c) => c.ref)],
    vectors,
  };
}

/** The fitted index with a delta applied: chunks of replaced files go, the delta's chunks join. */
export function applyDelta(index: TopicIndex, delta: TopicDelta | null): TopicIndex {
  if (!delta || delta.fitId !== index.fitId || (delta.replaced.length === 0 && delta.refs.length === 0)) return index;
  const dims = index.model.dims;
  const replaced = new Set(delta.replaced);
  const keep: number[] = [];
  index.refs.forEach((r, i) => {
    if (!replaced.has(r.file)) keep.push(i);
  });
  const vectors = new Float32Array((keep.length + delta.refs.length) * dims);
  // Runs of kept chunks are copied at once: most of the index is one run.
  for (let k = 0; k < keep.length; ) {
    let end = k + 1;
    while (end < keep.length && keep[end] === keep[end - 1]! + 1) end++;
    vectors.set(index.vectors.subarray(keep[k]! * dims, (keep[end - 1]! + 1) * dims), k * dims);
    k = end;
  }
  vectors.set(delta.vectors, keep.length * dims);
  return { ...index, refs: [...keep.map((i) => index.refs[i]!), ...delta.refs], vectors };
}

/**
 * Whether the index should be fitted anew: other settings, too few chunks, or a delta that has grown
 * past a twentieth of the index (at least 500 chunks, or 5 files replaced), so that new words are
 * learnt, removed standards are counted, and the delta each run reads and writes stays small.
 */
export function topicsStale(fit: { requestedDims: number; fitted: number; chunks: number; files: number }, delta: TopicDelta | null, opts: TopicOptions): boolean {
  const folded = delta?.refs.length ?? 0;
  const replaced = delta?.replaced.length ?? 0;
  return fit.requestedDims !== opts.dims || fit.chunks < opts.minChunks || folded > Math.max(500, fit.chunks / 20) || folded > fit.fitted || replaced > Math.max(5, fit.files / 20);
}

/** The `limit` chunks nearest the question (cosine), best first; none when it has no known word. */
export function searchTopics(index: TopicIndex, query: string, limit: number, filter: { domain?: string } = {}): Ranked[] {
  const q = lsaVector(index.model, lsaTerms(query));
  if (!q.some((x) => x !== 0)) return [];
  const dims = index.model.dims;
  const n = index.refs.length;
  const v = index.vectors;
  const scores = new Float32Array(n);
  // Four running sums: the additions of one sum wait on each other, those of four need not.
  for (let i = 0, base = 0; i < n; i++, base += dims) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let d = 0;
    for (; d + 3 < dims; d += 4) {
      s0 += v[base + d]! * q[d]!;
      s1 += v[base + d + 1]! * q[d + 1]!;
      s2 += v[base + d + 2]! * q[d + 2]!;
      s3 += v[base + d + 3]! * q[d + 3]!;
    }
    for (; d < dims; d++) s0 += v[base + d]! * q[d]!;
    scores[i] = s0 + s1 + s2 + s3;
  }
  // The best `limit` in a min-heap: sorting every chunk would cost more than scoring them.
  const heap: number[] = [];
  const less = (a: number, b: number): boolean => scores[a]! < scores[b]! || (scores[a] === scores[b] && a > b);
  const down = (from: number): void => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let i = 0; i < index.refs.length && limit > 0; i++) {
    if (filter.domain && index.refs[i]!.domain !== filter.domain) continue;
    if (heap.length < limit) {
      heap.push(i);
      for (let c = heap.length - 1; c > 0; ) {
        const p = (c - 1) >> 1;
        if (!less(heap[c]!, heap[p]!)) break;
        [heap[c], heap[p]] = [heap[p]!, heap[c]!];
        c = p;
      }
    } else if (less(heap[0]!, i)) {
      heap[0] = i;
      down(0);
    }
  }
  return heap.sort((a, b) => (less(a, b) ? 1 : -1)).map((i) => ({ chunk: index.refs[i]!, score: scores[i]! }));
}
