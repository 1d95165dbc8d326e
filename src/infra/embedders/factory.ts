import { homedir } from 'node:os';
import path from 'node:path';

import type { EmbeddingConfig } from '../../config/schema.js';
import type { Embedder } from '../../ports/embedder.js';
import type { Logger } from '../../ports/logger.js';
import { GloveEmbedder } from './glove/embedder.js';
import { GloveModelLoader } from './glove/load.js';
import { OpenAIEmbedder } from './openai.js';
import { TransformersEmbedder } from './transformers.js';

export interface EmbedderDeps {
  logger: Logger;
  /** Environment for cache location and API keys; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Where GloVe embedders get their (shared) model; a loader of their own when absent. */
  glove?: GloveModelLoader;
}

/**
 * Directory for converted and downloaded transformers.js model files: embeddings.cacheDir (relative paths resolve
 * against the working directory), else $XDG_CACHE_HOME/agent-os, else ~/.cache/agent-os.
 * Shared across projects on purpose: the files depend only on the model, not on the project.
 */
export function resolveCacheDir(config: Pick<EmbeddingConfig, 'cacheDir'>, env: NodeJS.ProcessEnv = process.env): string {
  if (config.cacheDir) return path.resolve(config.cacheDir);
  const xdg = env.XDG_CACHE_HOME?.trim();
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'agent-os');
  const home = env.HOME?.trim() || env.USERPROFILE?.trim() || homedir();
  return path.join(home, '.cache', 'agent-os');
}

/** The embedder the configuration asks for (nothing is loaded yet), or null for provider "none". */
export function createEmbedder(config: EmbeddingConfig, deps: EmbedderDeps): Embedder | null {
  const env = deps.env ?? process.env;
  const logger = deps.logger;
  switch (config.provider) {
    case 'none':
      return null;
    case 'glove':
      return new GloveEmbedder(deps.glove ?? new GloveModelLoader(undefined, logger));
    case 'transformers':
      return new TransformersEmbedder({
        model: config.model,
        modelPath: config.modelPath,
        allowRemote: config.allowRemote,
        dimensions: config.dimensions,
        cacheDir: resolveCacheDir(config, env),
        batchSize: config.batchSize,
        logger,
      });
    case 'openai':
      return new OpenAIEmbedder({
        model: config.model,
        baseUrl: config.baseUrl,
        apiKeyEnv: config.apiKeyEnv,
        dimensions: config.dimensions,
        batchSize: config.batchSize,
        env,
        logger,
      });
  }
}
