import path from 'node:path';
import { FileWriterLock } from '../../src/infra/file-lock.js';
import { FsStandardsRepo } from '../../src/infra/fs-standards-repo.js';
import { LanceStores } from '../../src/infra/lance-stores.js';
import type { LanceTuning } from '../../src/infra/lancedb-store.js';
import { SqliteMetaStore } from '../../src/infra/sqlite-meta-store.js';
import { silentLogger } from '../../src/ports/logger.js';
import type { Embedder } from '../../src/ports/embedder.js';
import type { IndexDeps } from '../../src/services/index-standards.js';
import { defaultRerank } from '../../src/domain/rerank.js';
import { SearchCache, type SearchDeps } from '../../src/services/search-standards.js';

/** Real LanceDB + SQLite deps over a temp project, with an injectable embedder. */
export function realDeps(root: string, embedder: Embedder | null, tuning: LanceTuning = {}): { index: IndexDeps; search: SearchDeps; close(): Promise<void> } {
  const cacheDir = path.join(root, '.agent-os', '.cache');
  const stores = new LanceStores(path.join(cacheDir, 'index'), 1, tuning);
  const meta = new SqliteMetaStore(path.join(cacheDir, 'meta.db'));
  const index: IndexDeps = {
    repo: new FsStandardsRepo(path.join(root, '.agent-os', 'standards')),
    stores,
    embedder,
    meta,
    lock: new FileWriterLock(path.join(cacheDir, 'index.lock')),
    logger: silentLogger,
    chunking: { chunkChars: 1000, hardMaxChars: 4000, maxFileBytes: 2_000_000, batchSize: 32 },
  };
  const search: SearchDeps = {
    indexes: stores,
    embedder,
    meta,
    logger: silentLogger,
    cache: new SearchCache(),
    tuning: { vectorWeight: 0.5, method: 'rrf', k: 60, candidates: 40, maxPerFile: 2, maxResultChars: 1000, cacheTtlSeconds: 300, rerank: { ...defaultRerank } },
  };
  return {
    index,
    search,
    async close() {
      await stores.close();
      meta.close();
    },
  };
}
