import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { embeddingSchema } from '../../src/config/schema.js';
import { createEmbedder, resolveCacheDir } from '../../src/infra/embedders/factory.js';
import { GloveEmbedder } from '../../src/infra/embedders/glove/embedder.js';
import { OpenAIEmbedder } from '../../src/infra/embedders/openai.js';
import { TransformersEmbedder } from '../../src/infra/embedders/transformers.js';
import { silentLogger } from '../../src/ports/logger.js';

const deps = { logger: silentLogger, env: { HOME: '/home/tester' } };

describe('resolveCacheDir', () => {
  it('prefers embeddings.cacheDir, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(resolveCacheDir({ cacheDir: '/var/cache/x' }, { XDG_CACHE_HOME: '/xdg' })).toBe('/var/cache/x');
    expect(resolveCacheDir({}, { XDG_CACHE_HOME: '/xdg', HOME: '/home/tester' })).toBe(path.join('/xdg', 'agent-os'));
    expect(resolveCacheDir({}, { HOME: '/home/tester' })).toBe(path.join('/home/tester', '.cache', 'agent-os'));
    // A relative XDG_CACHE_HOME is invalid per the spec and ignored.
    expect(resolveCacheDir({}, { XDG_CACHE_HOME: 'rel', HOME: '/home/tester' })).toBe(path.join('/home/tester', '.cache', 'agent-os'));
    expect(resolveCacheDir({}, {})).toBe(path.join(os.homedir(), '.cache', 'agent-os'));
  });
});

describe('createEmbedder', () => {
  it('returns null for provider none', () => {
    expect(createEmbedder(embeddingSchema.parse({ provider: 'none' }), deps)).toBeNull();
  });

  it('defaults to the offline GloVe embedder', () => {
    const e = createEmbedder(embeddingSchema.parse({}), deps);
    expect(e).toBeInstanceOf(GloveEmbedder);
    expect(e?.id).toBe('glove-100d-sif-v1');
    expect(e?.dimensions).toBe(100);
  });

  it('builds a transformers embedder from model settings without loading it', () => {
    const e = createEmbedder(embeddingSchema.parse({ provider: 'transformers', model: 'Xenova/bge-small-en-v1.5', modelPath: '/nowhere' }), deps);
    expect(e).toBeInstanceOf(TransformersEmbedder);
    expect(e?.id).toBe('transformers-Xenova/bge-small-en-v1.5-mean-v1');
    expect(e?.dimensions).toBe(384);
  });

  it('builds an OpenAI embedder with key and endpoint from the given environment', () => {
    const config = embeddingSchema.parse({ provider: 'openai', model: 'text-embedding-3-large', apiKeyEnv: 'MY_KEY' });
    const e = createEmbedder(config, { logger: silentLogger, env: { MY_KEY: 'k', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1/' } });
    expect(e).toBeInstanceOf(OpenAIEmbedder);
    expect((e as OpenAIEmbedder).baseUrl).toBe('http://127.0.0.1:9/v1');
    expect(e?.dimensions).toBe(3072);
    expect(e?.id).toBe('openai-text-embedding-3-large-3072');
  });
});
