import fs from 'node:fs';
import { beforeAll, afterEach, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from '../fakes/git-repo.js';
import { makeProject } from '../fakes/project.js';

/** The CLI contract other tools rely on: --json shapes, exit codes 0/1/2, stdout holding JSON only. */
const ENV = { ...process.env, LANCEDB_LOG: 'error' };
const STANDARD = '---\ntags: [api]\ncreated_by: architect\n---\n# API errors\n\n## Responses\n\nReturn problem+json bodies with a stable error code.\n';

describe('agent-os CLI', () => {
  const cleanups: Array<() => void> = [];
  beforeAll(() => ensureBuilt(), 180_000);
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  function project() {
    const p = makeProject({ 'architecture/api-errors.md': STANDARD });
    cleanups.push(() => p.cleanup());
    return p;
  }

  it('indexes and searches with the default offline embedder and the documented --json shape', () => {
    const p = project();
    const index = runCli(['--root', p.root, 'index', '--json'], ENV);
    expect(index.status, index.stderr).toBe(0);
    const report = JSON.parse(index.stdout) as { mode: string; embedder: string; added: string[] };
    expect(report).toMatchObject({ mode: 'hybrid', embedder: 'glove-100d-sif-v1', added: ['architecture/api-errors.md'] });

    const search = runCli(['--root', p.root, 'search', 'error', 'response', 'format', '--json', '--limit', '3'], ENV);
    expect(search.status, search.stderr).toBe(0);
    const out = JSON.parse(search.stdout) as { results: Array<Record<string, unknown>>; query_ms: number };
    expect(out.results[0]).toMatchObject({ file: 'architecture/api-errors.md', section: 'API errors > Responses', domain: 'architecture' });
    expect(out.results[0]!['content']).toContain('problem+json');
    expect(typeof out.results[0]!['score']).toBe('number');
    expect(typeof out.query_ms).toBe('number');
    expect(out.results[0]).toMatchObject({ tags: ['api'], created_by: 'architect', approved_by: null, query_count: 1 });

    const human = runCli(['--root', p.root, 'search', 'problem json'], ENV);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/1\. architecture\/api-errors\.md — API errors > Responses  \(score [\d.]+; created by architect\)/);

    const listed = runCli(['--root', p.root, 'standards', '--json'], ENV);
    expect(listed.status, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { standards: unknown[] }).standards).toEqual([
      expect.objectContaining({ file_path: 'architecture/api-errors.md', created_by: 'architect', approved_by: null, tags: ['api'], query_count: 2, dates_from: 'file' }),
    ]);
    const table = runCli(['--root', p.root, 'standards'], ENV);
    expect(table.stdout).toMatch(/architecture\/api-errors\.md {2}API errors\n {2}created by architect; created \d{4}-\d\d-\d\d, updated \d{4}-\d\d-\d\d \(file\); queried 2×; tags: api/);
  });

  it('exits 2 on bad usage with a clear message, and puts the error as JSON on stdout with --json', () => {
    const p = project();
    runCli(['--root', p.root, 'index'], { ...ENV, AGENT_OS_EMBEDDINGS: 'none' });
    const badLimit = runCli(['--root', p.root, 'search', 'x', '--limit', 'many', '--json'], ENV);
    expect(badLimit.status).toBe(2);
    expect(JSON.parse(badLimit.stdout)).toEqual({ error: { code: 'BAD_INPUT', message: '--limit must be a whole number; got "many".' } });
    const empty = runCli(['--root', p.root, 'search', '  '], ENV);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/The query is empty/);
    expect(runCli(['--root', p.root, 'frobnicate'], ENV).status).toBe(2);
    const badRoot = runCli(['--root', '/definitely/not/here', 'index'], ENV);
    expect(badRoot.status).toBe(2);
    expect(badRoot.stderr).toMatch(/no such directory/);
  });

  it('exits 1 with an actionable message when the project has no standards', () => {
    const p = makeProject();
    cleanups.push(() => p.cleanup());
    fs.rmSync(p.standards, { recursive: true, force: true });
    const res = runCli(['--root', p.root, 'index', '--json'], ENV);
    expect(res.status).toBe(1);
    const err = JSON.parse(res.stdout) as { error: { code: string; hint: string } };
    expect(err.error.code).toBe('NOT_INITIALIZED');
    expect(err.error.hint).toMatch(/agent-os init/);
  });

  it('reports an invalid config file by setting path', () => {
    const p = project();
    p.write('../config.yaml', 'search:\n  maxPerFile: zero\n');
    const res = runCli(['--root', p.root, 'search', 'x'], ENV);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/search\.maxPerFile/);
  });
});
