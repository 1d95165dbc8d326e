/** Turns text into fixed-size vectors; implementations load their model lazily on first use. */
export interface Embedder {
  /** Stable id of model and settings; a change of id means every stored vector is stale. */
  readonly id: string;
  /** Vector length; known before the model loads. */
  readonly dimensions: number;
  /** Load the model now (idempotent); throws AgentOsError('MODEL_UNAVAILABLE') when it cannot. */
  load(): Promise<void>;
  /** Embed documents (chunks); vectors are L2-normalised. */
  embedDocuments(texts: readonly string[]): Promise<Float32Array[]>;
  /** Embed one search query; may differ from documents for asymmetric models. */
  embedQuery(text: string): Promise<Float32Array>;
}
