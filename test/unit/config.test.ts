import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, mergeLayers } from '../../src/config/load.js';

const dirs: string[] = [];
function project(yaml?: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-os-config-'));
  dirs.push(root);
  if (yaml !== undefined) {
    fs.mkdirSync(path.join(root, '.agent-os'), { recursive: true });
    fs.writeFileSync(path.join(root, '.agent-os', 'config.yaml'), yaml);
  }
  return root;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('config', () => {
  it('has working defaults with no file and no environment', () => {
    const c = loadConfig(project(), { env: {} });
    expect(c.embeddings.provider).toBe('glove');
    expect(c.index.uri).toBe('.agent-os/.cache/index');
    expect(c.search.cacheTtlSeconds).toBe(300);
    expect(c.personas.enabled).toBe(true);
  });

  it('layers defaults < file < environment < flags', () => {
    const root = project('embeddings:\n  provider: transformers\n  model: Xenova/all-MiniLM-L6-v2\nsearch:\n  maxPerFile: 3\n');
    const fromFile = loadConfig(root, { env: {} });
    expect(fromFile.embeddings.provider).toBe('transformers');
    expect(fromFile.search.maxPerFile).toBe(3);
    expect(fromFile.search.vectorWeight).toBe(0.4);
    const fromEnv = loadConfig(root, { env: { AGENT_OS_EMBEDDINGS: 'none', AGENT_OS_INDEX_URI: 's3://bucket/index' } });
    expect(fromEnv.embeddings.provider).toBe('none');
    expect(fromEnv.embeddings.model).toBe('Xenova/all-MiniLM-L6-v2');
    expect(fromEnv.index.uri).toBe('s3://bucket/index');
    const fromFlags = loadConfig(root, { env: { AGENT_OS_EMBEDDINGS: 'none' }, flags: { embeddings: { provider: 'glove' } } });
    expect(fromFlags.embeddings.provider).toBe('glove');
  });

  it('reports invalid settings by dotted path', () => {
    const root = project('search:\n  maxPerFile: -1\nembeddings:\n  provider: magic\n');
    expect(() => loadConfig(root, { env: {} })).toThrowError(/search\.maxPerFile[\s\S]*embeddings\.provider|embeddings\.provider[\s\S]*search\.maxPerFile/);
  });

  it('rejects unknown keys and broken YAML clearly', () => {
    expect(() => loadConfig(project('serach:\n  limit: 3\n'), { env: {} })).toThrowError(/Unrecognized key.*serach/);
    expect(() => loadConfig(project('search: [unclosed\n'), { env: {} })).toThrowError(/not valid YAML/);
  });

  it('merges nested objects and lets later layers replace scalars', () => {
    expect(mergeLayers({ a: { b: 1, c: 2 }, d: [1] }, { a: { c: 3 }, d: [2] })).toEqual({ a: { b: 1, c: 3 }, d: [2] });
  });
});
