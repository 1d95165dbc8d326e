import * as lancedb from '@lancedb/lancedb';

import { createApp, type App } from '../src/app.js';
import { configSchema } from '../src/config/schema.js';
import type { GloveEmbedder } from '../src/infra/embedders/glove/embedder.js';
import { tableNameFor } from '../src/infra/lancedb-store.js';
import type { IndexStore } from '../src/ports/index-store.js';
import { silentLogger } from '../src/ports/logger.js';
import { corpusProject, writeTeamStandards } from './lib.js';

/**
 * The shared corpus with the team standards beside it, fully indexed with `embedder`, for the retrieval
 * experiments (bench/expand.ts, bench/lsa.ts): the app, its vector store and the LanceDB table itself.
 */
export async function openExperimentCorpus(embedder: GloveEmbedder): Promise<{ app: App; store: IndexStore; table: lancedb.Table; close(): Promise<void> }> {
  const project = corpusProject();
  writeTeamStandards(project.standards);
  const config = configSchema.parse({ search: { cacheTtlSeconds: 0 } });
  const app = createApp({ root: project.root, logger: silentLogger, config, embedder });
  await app.index({ full: true });
  const store = await app.searchDeps.indexes.vectorStore(embedder);
  if (!store) throw new Error('the corpus index has no vectors');
  const db = await lancedb.connect(app.paths.indexUri);
  const table = await db.openTable(tableNameFor(embedder.id, embedder.dimensions));
  return {
    app,
    store,
    table,
    async close() {
      table.close();
      db.close();
      await app.close();
      project.cleanup();
    },
  };
}
