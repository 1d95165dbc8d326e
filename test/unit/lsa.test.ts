import { describe, expect, it } from 'vitest';
import { fitLsa, lsaTerms, lsaVector, symmetricEigen, truncatedSvd } from '../../src/domain/lsa.js';

const cosine = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

/** Columns of a seeded random rows × cols matrix, orthonormalised (row-major). */
function orthonormalColumns(rows: number, cols: number, seed: number): number[][] {
  let s = seed;
  const rand = (): number => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
  const q: number[][] = [];
  for (let j = 0; j < cols; j++) {
    const v = Array.from({ length: rows }, rand);
    for (const u of q) {
      const dot = v.reduce((t, x, i) => t + x * u[i]!, 0);
      for (let i = 0; i < rows; i++) v[i]! -= dot * u[i]!;
    }
    const norm = Math.hypot(...v);
    q.push(v.map((x) => x / norm));
  }
  return q;
}

describe('lsa', () => {
  it('counts content words from their first six letters', () => {
    expect(lsaTerms('The sanitization of sanitized input, in 2 ways')).toEqual(['saniti', 'saniti', 'input', 'ways']);
  });

  it('diagonalises a symmetric matrix', () => {
    const a = Float64Array.from([4, 1, 2, 1, 3, 0, 2, 0, 5]);
    const { values, vectors } = symmetricEigen(a, 3);
    for (let e = 0; e < 3; e++) {
      for (let r = 0; r < 3; r++) {
        let av = 0;
        for (let c = 0; c < 3; c++) av += a[r * 3 + c]! * vectors[c * 3 + e]!;
        expect(av).toBeCloseTo(values[e]! * vectors[r * 3 + e]!, 9);
      }
    }
    expect([...values].reduce((s, x) => s + x, 0)).toBeCloseTo(12, 9);
  });

  it('recovers the singular values and right vectors of a low-rank matrix', () => {
    // X = U diag(9, 4, 1) Vᵀ with orthonormal U (40 × 3) and V (25 × 3), stored as sparse rows.
    const u = orthonormalColumns(40, 3, 7);
    const v = orthonormalColumns(25, 3, 11);
    const sigma = [9, 4, 1];
    const rows = Array.from({ length: 40 }, (_, r) => {
      const val = Float64Array.from({ length: 25 }, (_, c) => sigma.reduce((s, x, k) => s + u[k]![r]! * x * v[k]![c]!, 0));
      return { idx: Int32Array.from({ length: 25 }, (_, c) => c), val };
    });
    const svd = truncatedSvd(rows, 25, { dims: 3, oversample: 4, powerIterations: 2, seed: 3 });
    expect(svd.dims).toBe(3);
    sigma.forEach((x, k) => expect(svd.singular[k]).toBeCloseTo(x, 8));
    for (let k = 0; k < 3; k++) {
      const dot = v[k]!.reduce((s, x, c) => s + x * svd.right[c * 3 + k]!, 0);
      expect(Math.abs(dot)).toBeCloseTo(1, 8);
    }
  });

  it('relates a question to a section that shares none of its words, through the words they share with others', () => {
    const docs = [
      'car engine wheels brakes',
      'automobile engine wheels brakes',
      'car engine fuel gearbox',
      'automobile fuel gearbox wheels',
      'apple banana fruit orchard',
      'banana fruit smoothie orchard',
      'apple fruit juice orchard',
    ].map(lsaTerms);
    const model = fitLsa(docs, { dims: 2, minDocs: 2, oversample: 3, powerIterations: 2, seed: 1 });
    const question = lsaVector(model, lsaTerms('automobile'));
    const carOnly = lsaVector(model, docs[0]!);
    const fruit = lsaVector(model, docs[4]!);
    expect(cosine(question, carOnly)).toBeGreaterThan(0.9);
    expect(cosine(question, fruit)).toBeLessThan(0.2);
  });

  it('gives a zero vector to a text with no known term', () => {
    const model = fitLsa([lsaTerms('alpha beta'), lsaTerms('alpha gamma')], { dims: 1, minDocs: 2, oversample: 1, powerIterations: 1, seed: 1 });
    expect([...lsaVector(model, lsaTerms('delta'))].every((x) => x === 0)).toBe(true);
  });
});
