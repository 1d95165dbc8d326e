/**
 * The transformers.js embedder running for real (tokenizer, onnxruntime-node, pooling) on a tiny
 * lookup-table model built by the test, so no download is needed.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { AgentOsError } from '../../src/domain/errors.js';
import { TransformersEmbedder } from '../../src/infra/embedders/transformers.js';
import { writeLookupModel, type LookupModel } from '../fixtures/onnx-lookup-model.js';

const WORDS = [
  'password', 'hashing', 'salt', 'bcrypt', 'credentials', 'secure', 'storage', 'user',
  'kubernetes', 'deployment', 'rollout', 'pods', 'cluster', 'helm',
  'logging', 'json', 'stderr', 'secrets', 'tokens',
  'alpha', 'beta', 'gamma', 'delta',
];

const root = mkdtempSync(path.join(os.tmpdir(), 'agent-os-transformers-'));
const models = path.join(root, 'models');
const cacheDir = path.join(root, 'cache');
let model: LookupModel;

beforeAll(async () => {
  model = await writeLookupModel(models, 'lookup-bert', WORDS, { tokenTypeIds: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

async function loadError(embedder: TransformersEmbedder): Promise<AgentOsError> {
  const err = await embedder.load().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AgentOsError);
  return err as AgentOsError;
}

describe('TransformersEmbedder with a local model folder', () => {
  it('knows its dimensions from config.json before loading', () => {
    const embedder = new TransformersEmbedder({ model: 'lookup-bert', modelPath: models, cacheDir });
    expect(embedder.dimensions).toBe(WORDS.length);
    expect(embedder.id).toBe('transformers-lookup-bert-mean-v1');
  });

  it('mean-pools and normalises the real model output', async () => {
    const embedder = new TransformersEmbedder({ model: 'lookup-bert', modelPath: models, cacheDir });
    await embedder.load();
    const v = await embedder.embedQuery('Alpha beta');
    // [CLS] alpha beta [SEP]: special rows are zero, so the mean is (e_alpha + e_beta) / 4.
    const expected = new Float32Array(WORDS.length);
    expected[model.position.get('alpha')!] = Math.SQRT1_2;
    expected[model.position.get('beta')!] = Math.SQRT1_2;
    expect(v).toHaveLength(WORDS.length);
    Array.from(v).forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 6));
  });

  it('puts texts that share words closer than texts that share none', async () => {
    const embedder = new TransformersEmbedder({ model: 'lookup-bert', modelPath: models, cacheDir, batchSize: 2 });
    const [a, b, c] = await embedder.embedDocuments([
      'password hashing with salt',
      'secure password storage',
      'kubernetes deployment rollout',
    ]);
    expect(cosine(a!, b!)).toBeGreaterThan(0.2);
    expect(cosine(a!, c!)).toBeCloseTo(0, 6);
    expect(cosine(a!, b!)).toBeGreaterThan(cosine(b!, c!));
  });

  it('gives the same vector whatever the batch and padding, in input order', async () => {
    const embedder = new TransformersEmbedder({ model: 'lookup-bert', modelPath: models, cacheDir, batchSize: 3 });
    const texts = ['gamma', 'alpha beta gamma delta helm pods cluster', 'delta', 'json logging to stderr', 'alpha'];
    const batched = await embedder.embedDocuments(texts);
    for (const [i, text] of texts.entries()) {
      const alone = await embedder.embedQuery(text);
      Array.from(batched[i]!).forEach((x, k) => expect(x).toBeCloseTo(alone[k]!, 6));
    }
    expect(batched[0]![model.position.get('gamma')!]).toBeCloseTo(1, 6);
  });

  it('accepts a model given as a folder path', async () => {
    const embedder = new TransformersEmbedder({ model: model.dir, cacheDir });
    const v = await embedder.embedQuery('delta');
    expect(v[model.position.get('delta')!]).toBeCloseTo(1, 6);
    expect(embedder.id).toBe('transformers-lookup-bert-mean-v1');
  });

  it('rejects a configured size that the model does not produce', async () => {
    const embedder = new TransformersEmbedder({ model: 'lookup-bert', modelPath: models, cacheDir, dimensions: 384 });
    const err = await loadError(embedder);
    expect(err.code).toBe('CONFIG');
    expect(err.hint).toContain(String(WORDS.length));
  });
});

describe('TransformersEmbedder load failures', () => {
  it('reports a missing folder with the path tried and what to do', async () => {
    const embedder = new TransformersEmbedder({ model: 'no-such-model', modelPath: models, cacheDir });
    const err = await loadError(embedder);
    expect(err.code).toBe('MODEL_UNAVAILABLE');
    expect(err.message).toContain(path.join(models, 'no-such-model'));
    expect(err.hint).toMatch(/onnx\/model\.onnx/);
    expect(err.hint).toMatch(/allowRemote/);
  });

  it('without the optional @huggingface/transformers package, names the package to install', async () => {
    // A real "module not found" from Node's loader, as when the package is not installed.
    const absent = 'agent-os-test-absent-package';
    const embedder = new TransformersEmbedder({
      model: 'lookup-bert',
      modelPath: models,
      cacheDir,
      importLibrary: () => import(absent) as Promise<never>,
    });
    const err = await loadError(embedder);
    expect(err.code).toBe('MODEL_UNAVAILABLE');
    expect(err.message).toBe('embeddings.provider "transformers" needs the package @huggingface/transformers, which agent-os does not install by default.');
    expect(err.hint).toContain('npm install --save-dev @huggingface/transformers@3');
  });

  it('reports missing files in an existing folder', async () => {
    const dir = path.join(root, 'partial');
    cpSync(model.dir, path.join(dir, 'lookup-bert'), { recursive: true });
    rmSync(path.join(dir, 'lookup-bert', 'tokenizer.json'));
    const err = await loadError(new TransformersEmbedder({ model: 'lookup-bert', modelPath: dir, cacheDir }));
    expect(err.code).toBe('MODEL_UNAVAILABLE');
    expect(err.message).toContain('tokenizer.json');
  });

  it('turns a garbage model.onnx into MODEL_UNAVAILABLE instead of crashing', async () => {
    const dir = path.join(root, 'garbage');
    cpSync(model.dir, path.join(dir, 'lookup-bert'), { recursive: true });
    writeFileSync(path.join(dir, 'lookup-bert', 'onnx', 'model.onnx'), Buffer.from('this is not a protobuf \u0000\u0001\u0002 at all'));
    const embedder = new TransformersEmbedder({ model: 'lookup-bert', modelPath: dir, cacheDir });
    const err = await loadError(embedder);
    expect(err.code).toBe('MODEL_UNAVAILABLE');
    expect(err.message).toContain(path.join(dir, 'lookup-bert'));
    expect(err.hint).toMatch(/ONNX/);
    // A failed load is not cached: fixing the file makes the next load succeed.
    cpSync(path.join(model.dir, 'onnx', 'model.onnx'), path.join(dir, 'lookup-bert', 'onnx', 'model.onnx'));
    await expect(embedder.load()).resolves.toBeUndefined();
  });

  it('does not go to the hub when downloads are disabled and no folder is configured', async () => {
    const err = await loadError(new TransformersEmbedder({ model: 'Xenova/all-MiniLM-L6-v2', cacheDir }));
    expect(err.code).toBe('MODEL_UNAVAILABLE');
    expect(err.hint).toMatch(/modelPath/);
    expect(err.hint).toMatch(/allowRemote/);
  });
});
