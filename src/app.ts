import path from 'node:path';
import { loadConfig } from './config/load.js';
import type { AgentOsConfig } from './config/schema.js';
import type { Embedder } from './ports/embedder.js';
import type { Logger } from './ports/logger.js';
import { FileWriterLock } from './infra/file-lock.js';
import { FsStandardsRepo } from './infra/fs-standards-repo.js';
import { LanceStores } from './infra/lance-stores.js';
import { SqliteMetaStore } from './infra/sqlite-meta-store.js';
import { createEmbedder } from './infra/embedders/factory.js';
import { indexStandards, type IndexDeps, type IndexInput, type IndexReport } from './services/index-standards.js';
import { SearchCache, searchStandards, type SearchDeps, type SearchInput, type SearchOutput } from './services/search-standards.js';

/** Where a project's agent-os files live. */
export interface ProjectPaths {
  root: string;
  agentOsDir: string;
  standardsDir: string;
  cacheDir: string;
  indexUri: string;
  metaDb: string;
  lockFile: string;
}

export function projectPaths(root: string, config: AgentOsConfig): ProjectPaths {
  const cacheDir = path.resolve(root, config.cacheDir);
  const uri = config.index.uri;
  // Object-store URIs (s3://, gs://, az://) pass through; plain paths resolve against the root.
  const indexUri = /^[a-z][a-z0-9+.-]*:\/\//i.test(uri) ? uri : path.resolve(root, uri);
  return {
    root,
    agentOsDir: path.join(root, '.agent-os'),
    standardsDir: path.resolve(root, config.standardsDir),
    cacheDir,
    indexUri,
    metaDb: path.join(cacheDir, 'meta.db'),
    lockFile: path.join(cacheDir, 'index.lock'),
  };
}

export interface AppOptions {
  root: string;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Already-loaded configuration; loaded from the project when absent. */
  config?: AgentOsConfig;
  /** Replaces the configured embedder (tests, benchmarks). */
  embedder?: Embedder | null;
}

/** The composition root: builds the real infrastructure once and exposes the use cases. */
export interface App {
  config: AgentOsConfig;
  paths: ProjectPaths;
  logger: Logger;
  embedder: Embedder | null;
  index(input?: IndexInput): Promise<IndexReport>;
  search(input: SearchInput): Promise<SearchOutput>;
  indexDeps: IndexDeps;
  searchDeps: SearchDeps;
  close(): Promise<void>;
}

export function createApp(opts: AppOptions): App {
  const env = opts.env ?? process.env;
  const config = opts.config ?? loadConfig(opts.root, { env });
  const paths = projectPaths(opts.root, config);
  const logger = opts.logger;
  const embedder = opts.embedder !== undefined ? opts.embedder : createEmbedder(config.embeddings, { logger, env });
  const meta = new SqliteMetaStore(paths.metaDb);
  const stores = new LanceStores(paths.indexUri, config.search.headingBoost);
  const cache = new SearchCache();
  const indexDeps: IndexDeps = {
    repo: new FsStandardsRepo(paths.standardsDir),
    stores,
    embedder,
    meta,
    lock: new FileWriterLock(paths.lockFile),
    logger,
    chunking: { ...config.index, batchSize: config.embeddings.batchSize },
  };
  const searchDeps: SearchDeps = {
    indexes: stores,
    embedder,
    meta,
    logger,
    cache,
    tuning: { ...config.search, method: config.search.fusion, k: config.search.rrfK },
  };
  return {
    config,
    paths,
    logger,
    embedder,
    indexDeps,
    searchDeps,
    async index(input) {
      const report = await indexStandards(indexDeps, input);
      cache.clear();
      return report;
    },
    search: (input) => searchStandards(searchDeps, input),
    async close() {
      await stores.close();
      meta.close();
    },
  };
}
