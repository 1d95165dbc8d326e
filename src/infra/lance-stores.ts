import type { Embedder } from '../ports/embedder.js';
import type { IndexStore, SearchIndexes, StoreProvider } from '../ports/index-store.js';
import { LanceIndexStore, tableNameFor, type LanceTuning } from './lancedb-store.js';

/** One LanceDB database holding one table per embedder; hands out the right one. */
export class LanceStores implements StoreProvider, SearchIndexes {
  private readonly open = new Map<string, LanceIndexStore>();

  constructor(
    private readonly uri: string,
    private readonly headingBoost: number,
    private readonly tuning: LanceTuning = {},
  ) {}

  private get(embedder: Embedder | null): LanceIndexStore {
    const name = tableNameFor(embedder?.id ?? null, embedder?.dimensions ?? 0);
    let store = this.open.get(name);
    if (!store) {
      store = new LanceIndexStore({
        uri: this.uri,
        embedderId: embedder?.id ?? null,
        dimensions: embedder?.dimensions ?? 0,
        headingBoost: this.headingBoost,
        tuning: this.tuning,
      });
      this.open.set(name, store);
    }
    return store;
  }

  forEmbedder(embedder: Embedder | null): IndexStore {
    return this.get(embedder);
  }

  async dropOthers(keep: Embedder | null): Promise<string[]> {
    const store = this.get(keep);
    const others = await store.otherTables();
    for (const name of others) {
      await this.open.get(name)?.close();
      this.open.delete(name);
    }
    await store.dropTables(others);
    return others;
  }

  async vectorStore(embedder: Embedder): Promise<IndexStore | null> {
    const store = this.get(embedder);
    return (await store.exists()) ? store : null;
  }

  async keywordStore(embedder: Embedder | null): Promise<IndexStore | null> {
    if (embedder) {
      const own = this.get(embedder);
      if (await own.exists()) return own;
    }
    const keyword = this.get(null);
    if (await keyword.exists()) return keyword;
    // A table left by another embedder still answers keyword queries.
    const others = await keyword.otherTables();
    const first = others[0];
    if (!first) return null;
    return new LanceIndexStore({ uri: this.uri, embedderId: null, dimensions: 0, headingBoost: this.headingBoost, tableName: first, tuning: this.tuning });
  }

  async close(): Promise<void> {
    for (const s of this.open.values()) await s.close();
    this.open.clear();
  }
}
