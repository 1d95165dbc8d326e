import type { Embedder } from '../../src/ports/embedder.js';

/**
 * A fast deterministic embedder for tests: hashed bag of words, L2-normalised.
 * Texts sharing words get similar vectors, which is all the index and fusion code needs.
 */
export class HashEmbedder implements Embedder {
  readonly dimensions: number;
  loads = 0;
  embeddedTexts = 0;
  failLoad: Error | null = null;

  constructor(readonly id = 'test-hash-v1', dimensions = 64) {
    this.dimensions = dimensions;
  }

  async load(): Promise<void> {
    if (this.failLoad) throw this.failLoad;
    this.loads++;
  }

  private embed(text: string): Float32Array {
    const v = new Float32Array(this.dimensions);
    for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      let h = 2166136261;
      for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
      v[(h >>> 0) % this.dimensions]! += 1;
    }
    const norm = Math.hypot(...v) || 1;
    return v.map((x) => x / norm);
  }

  async embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    await this.load();
    this.embeddedTexts += texts.length;
    return texts.map((t) => this.embed(t));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    await this.load();
    return this.embed(text);
  }
}
