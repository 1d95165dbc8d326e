import type { Embedder } from '../../../ports/embedder.js';
import { GLOVE_DIMENSIONS, GLOVE_EMBEDDER_ID, type GloveModel } from './model.js';

/** The offline default embedder: SIF-weighted GloVe word vectors (see model.ts). */
export class GloveEmbedder implements Embedder {
  readonly id = GLOVE_EMBEDDER_ID;
  readonly dimensions = GLOVE_DIMENSIONS;

  constructor(private readonly models: { load(): Promise<GloveModel> }) {}

  async load(): Promise<void> {
    await this.models.load();
  }

  async embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    const model = await this.models.load();
    return texts.map((t) => model.embed(t));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return (await this.models.load()).embed(text);
  }
}
