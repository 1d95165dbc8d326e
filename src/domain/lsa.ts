import { contentWords } from './rerank.js';

/**
 * Latent semantic analysis over a project's own standards: a truncated SVD of the chunks' tf-idf
 * matrix, fitted with a randomized range finder. Words that occur in the same sections ("consent",
 * "privacy", "logging") land near each other, so a question can find a section that shares none of
 * its words. Pure arithmetic on typed arrays; nothing is read or written here.
 */

/** Terms of a text as LSA counts them: content words of three letters or more, cut to six letters. */
export function lsaTerms(text: string): string[] {
  return contentWords(text)
    .filter((w) => w.length > 2 && /^\p{L}/u.test(w))
    .map((w) => w.slice(0, 6));
}

export interface LsaOptions {
  /** Dimensions kept. */
  dims: number;
  /** Terms found in fewer documents are left out (they cannot relate two documents). */
  minDocs: number;
  /** Extra random directions sampled beyond `dims`, for accuracy. */
  oversample: number;
  /** Power iterations: each sharpens the separation of the leading singular values. */
  powerIterations: number;
  /** Seed of the random directions, so a fit is reproducible. */
  seed: number;
}

export const defaultLsa: LsaOptions = { dims: 150, minDocs: 2, oversample: 10, powerIterations: 2, seed: 1 };

/** Numbers of a model: 64-bit when fitted, 32-bit as read back from disk. */
export type Floats = Float32Array | Float64Array;

export interface LsaModel {
  /** Term → row of `termVectors`. */
  terms: Map<string, number>;
  /** Inverse document frequency per term. */
  idf: Floats;
  /** Right singular vectors, row-major terms × dims. */
  termVectors: Floats;
  /** Singular values, largest first. */
  singular: Floats;
  dims: number;
}

/** A sparse row: term indexes and weights. */
interface SparseRow {
  idx: Int32Array;
  val: Float64Array;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Unit-length tf-idf row of a document's terms ((1 + log tf) × idf), known terms only. */
function weightRow(terms: readonly string[], index: ReadonlyMap<string, number>, idf: Floats): SparseRow {
  const tf = new Map<number, number>();
  for (const t of terms) {
    const i = index.get(t);
    if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
  }
  const idx = Int32Array.from(tf.keys());
  const val = Float64Array.from(tf.values(), (c, k) => (1 + Math.log(c)) * idf[idx[k]!]!);
  let norm = 0;
  for (const v of val) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < val.length; k++) val[k]! /= norm;
  return { idx, val };
}

/**
 * Orthonormalise the columns of a row-major rows × cols matrix in place by modified Gram–Schmidt,
 * `passes` times (a second pass restores the orthogonality rounding loses).
 */
function orthonormalize(m: Float64Array, rows: number, cols: number, passes: number): void {
  // Columns are copied out to be contiguous: walking a row-major column strides through memory.
  const col = Array.from({ length: cols }, (_, j) => {
    const c = new Float64Array(rows);
    for (let r = 0; r < rows; r++) c[r] = m[r * cols + j]!;
    return c;
  });
  for (let pass = 0; pass < passes; pass++) {
    for (let j = 0; j < cols; j++) {
      const cj = col[j]!;
      for (let p = 0; p < j; p++) {
        const cp = col[p]!;
        let dot = 0;
        for (let r = 0; r < rows; r++) dot += cj[r]! * cp[r]!;
        if (dot !== 0) for (let r = 0; r < rows; r++) cj[r]! -= dot * cp[r]!;
      }
      let norm = 0;
      for (let r = 0; r < rows; r++) norm += cj[r]! * cj[r]!;
      norm = Math.sqrt(norm);
      // A column that vanished (rank below `cols`) stays zero and contributes nothing later.
      const inv = norm > 1e-12 ? 1 / norm : 0;
      for (let r = 0; r < rows; r++) cj[r]! *= inv;
    }
  }
  for (let j = 0; j < cols; j++) {
    const c = col[j]!;
    for (let r = 0; r < rows; r++) m[r * cols + j] = c[r]!;
  }
}

/** Eigenvalues and eigenvectors (columns of `vectors`, row-major n × n) of a symmetric matrix, by cyclic Jacobi. */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * n + q]! - m[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = m[k * n + p]!;
          const akq = m[k * n + q]!;
          m[k * n + p] = c * akp - s * akq;
          m[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = m[p * n + k]!;
          const aqk = m[q * n + k]!;
          m[p * n + k] = c * apk - s * aqk;
          m[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: n }, (_, i) => m[i * n + i]!), vectors: v };
}

/**
 * Top singular values and right singular vectors of the sparse rows × `cols` matrix (Halko, Martinsson
 * and Tropp's randomized range finder with power iterations, then an exact small eigenproblem).
 */
export function truncatedSvd(rows: readonly SparseRow[], cols: number, opts: Pick<LsaOptions, 'dims' | 'oversample' | 'powerIterations' | 'seed'>): { singular: Float64Array; right: Float64Array; dims: number } {
  const n = rows.length;
  const l = Math.max(1, Math.min(opts.dims + opts.oversample, n, cols));
  const rand = mulberry32(opts.seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(rand() || 1e-300)) * Math.cos(2 * Math.PI * rand());
  /** rows × l = X · m (m: cols × l). */
  const times = (m: Float64Array): Float64Array => {
    const out = new Float64Array(n * l);
    rows.forEach((row, r) => {
      for (let k = 0; k < row.idx.length; k++) {
        const base = row.idx[k]! * l;
        const w = row.val[k]!;
        for (let j = 0; j < l; j++) out[r * l + j]! += w * m[base + j]!;
      }
    });
    return out;
  };
  /** cols × l = Xᵀ · y (y: rows × l). */
  const timesT = (y: Float64Array): Float64Array => {
    const out = new Float64Array(cols * l);
    rows.forEach((row, r) => {
      for (let k = 0; k < row.idx.length; k++) {
        const base = row.idx[k]! * l;
        const w = row.val[k]!;
        for (let j = 0; j < l; j++) out[base + j]! += w * y[r * l + j]!;
      }
    });
    return out;
  };
  const omega = Float64Array.from({ length: cols * l }, gauss);
  // Between power iterations one pass keeps the columns apart; the basis that is kept gets two.
  let y = times(omega);
  orthonormalize(y, n, l, opts.powerIterations > 0 ? 1 : 2);
  for (let i = 0; i < opts.powerIterations; i++) {
    const z = timesT(y);
    orthonormalize(z, cols, l, 1);
    y = times(z);
    orthonormalize(y, n, l, i === opts.powerIterations - 1 ? 2 : 1);
  }
  // B = Qᵀ X, held as its transpose (cols × l); B Bᵀ = Vᵣ Σ² Vᵣᵀ gives the singular values and, through
  // Bᵀ Vᵣ Σ⁻¹, the right singular vectors of X.
  const bt = timesT(y);
  const gram = new Float64Array(l * l);
  for (let c = 0; c < cols; c++) {
    for (let i = 0; i < l; i++) {
      const bi = bt[c * l + i]!;
      if (bi === 0) continue;
      for (let j = i; j < l; j++) gram[i * l + j]! += bi * bt[c * l + j]!;
    }
  }
  for (let i = 0; i < l; i++) for (let j = 0; j < i; j++) gram[i * l + j] = gram[j * l + i]!;
  const { values, vectors } = symmetricEigen(gram, l);
  const order = [...values.keys()].sort((a, b) => values[b]! - values[a]!);
  const dims = Math.min(opts.dims, l, order.filter((i) => values[i]! > 1e-12).length);
  const singular = Float64Array.from({ length: dims }, (_, k) => Math.sqrt(values[order[k]!]!));
  const right = new Float64Array(cols * dims);
  for (let c = 0; c < cols; c++) {
    for (let k = 0; k < dims; k++) {
      const e = order[k]!;
      let s = 0;
      for (let i = 0; i < l; i++) s += bt[c * l + i]! * vectors[i * l + e]!;
      right[c * dims + k] = s / singular[k]!;
    }
  }
  return { singular, right, dims };
}

/** Fit an LSA model to documents given as their terms (see `lsaTerms`). */
export function fitLsa(docs: ReadonlyArray<readonly string[]>, opts: LsaOptions = defaultLsa): LsaModel {
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const kept = [...df].filter(([, c]) => c >= opts.minDocs).map(([t]) => t).sort();
  const terms = new Map(kept.map((t, i) => [t, i]));
  const idf = Float64Array.from(kept, (t) => Math.log(docs.length / df.get(t)!));
  const rows = docs.map((d) => weightRow(d, terms, idf));
  const { singular, right, dims } = truncatedSvd(rows, kept.length, opts);
  return { terms, idf, termVectors: right, singular, dims };
}

/**
 * A document's or question's place in the model's space, unit length (all zeros when none of its
 * terms is known): its tf-idf row projected on the right singular vectors ("folding in"), which for
 * a document the model was fitted on gives its row of U Σ.
 */
export function lsaVector(model: LsaModel, terms: readonly string[]): Float32Array {
  const row = weightRow(terms, model.terms, model.idf);
  const out = new Float64Array(model.dims);
  for (let k = 0; k < row.idx.length; k++) {
    const base = row.idx[k]! * model.dims;
    const w = row.val[k]!;
    for (let d = 0; d < model.dims; d++) out[d]! += w * model.termVectors[base + d]!;
  }
  let norm = 0;
  for (const x of out) norm += x * x;
  norm = Math.sqrt(norm);
  return Float32Array.from(out, (x) => (norm > 0 ? x / norm : 0));
}
