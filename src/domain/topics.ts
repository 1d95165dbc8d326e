import type { Ranked } from './fusion.js';
import { fitLsa, lsaTerms, lsaVector, type LsaModel } from './lsa.js';
import type { ChunkRef } from './standard.js';

/**
 * The topic index: an LSA model fitted to the project's own chunks and every chunk's place in it.
 * It answers a question by the sections whose words keep company with the question's words, which
 * the embedded static word vectors do far worse on this kind of text (bench/RESULTS.md, 2026-12-02
 * fourth). Incremental index runs fold changed chunks into the fitted model; the model is fitted
 * again on a full rebuild, or once more chunks were folded in than it was fitted on.
 */
export interface TopicIndex {
  model: LsaModel;
  refs: ChunkRef[];
  /** Unit vectors, chunk after chunk (refs.length × model.dims). */
  vectors: Float32Array;
  /** Chunks the model was fitted on. */
  fitted: number;
  /** Chunks folded in since the fit. */
  folded: number;
  /** Dimensions asked for (the model has fewer when the text cannot fill them). */
  requestedDims: number;
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
export function buildTopics(chunks: readonly TopicChunk[], opts: TopicOptions): TopicIndex | null {
  if (chunks.length < opts.minChunks || chunks.length === 0) return null;
  const terms = chunks.map(termsOf);
  const step = Math.max(1, chunks.length / opts.maxFitChunks);
  const sample: string[][] = [];
  for (let i = 0; i < chunks.length && sample.length < opts.maxFitChunks; i = Math.floor(sample.length * step)) sample.push(terms[i]!);
  const model = fitLsa(sample, { dims: opts.dims, minDocs: 2, oversample: 10, powerIterations: 2, seed: 1 });
  const vectors = new Float32Array(chunks.length * model.dims);
  terms.forEach((t, i) => vectors.set(lsaVector(model, t), i * model.dims));
  return { model, refs: chunks.map((c) => c.ref), vectors, fitted: sample.length, folded: 0, requestedDims: opts.dims };
}

/** Whether the model has drifted from the index enough to be fitted again. */
export function topicsStale(index: TopicIndex, opts: TopicOptions): boolean {
  return index.requestedDims !== opts.dims || index.folded > index.fitted || index.refs.length < opts.minChunks;
}

/**
 * The topic index after an incremental run: the chunks of `replaced` files go, `added` chunks are
 * folded into the fitted model (words it has not seen count for nothing until the next fit).
 */
export function updateTopics(index: TopicIndex, replaced: ReadonlySet<string>, added: readonly TopicChunk[]): TopicIndex {
  const dims = index.model.dims;
  const keep: number[] = [];
  index.refs.forEach((r, i) => {
    if (!replaced.has(r.file)) keep.push(i);
  });
  const vectors = new Float32Array((keep.length + added.length) * dims);
  keep.forEach((i, k) => vectors.set(index.vectors.subarray(i * dims, (i + 1) * dims), k * dims));
  added.forEach((c, k) => vectors.set(lsaVector(index.model, termsOf(c)), (keep.length + k) * dims));
  return {
    model: index.model,
    refs: [...keep.map((i) => index.refs[i]!), ...added.map((c) => c.ref)],
    vectors,
    fitted: index.fitted,
    folded: index.folded + added.length,
    requestedDims: index.requestedDims,
  };
}

/** The `limit` chunks nearest the question (cosine), best first; none when it has no known word. */
export function searchTopics(index: TopicIndex, query: string, limit: number, filter: { domain?: string } = {}): Ranked[] {
  const q = lsaVector(index.model, lsaTerms(query));
  if (!q.some((x) => x !== 0)) return [];
  const dims = index.model.dims;
  const scores = new Float32Array(index.refs.length);
  for (let i = 0; i < index.refs.length; i++) {
    let s = 0;
    const base = i * dims;
    for (let d = 0; d < dims; d++) s += index.vectors[base + d]! * q[d]!;
    scores[i] = s;
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
