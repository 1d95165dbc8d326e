import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LanceIndexStore } from '../../src/infra/lancedb-store.js';
import { indexStandards } from '../../src/services/index-standards.js';
import { HashEmbedder } from '../fakes/hash-embedder.js';
import { realDeps } from '../fakes/deps.js';
import { BIN, ensureBuilt } from '../fakes/build.js';
import { makeProject } from '../fakes/project.js';


function sections(n: number, word: string): string {
  return `# Doc\n\n${Array.from({ length: n }, (_, i) => `## Part ${i}\n\n${word} paragraph number ${i}.`).join('\n\n')}\n`;
}

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, AGENT_OS_EMBEDDINGS: 'none', LANCEDB_LOG: 'error' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('one writer at a time', () => {
  beforeAll(() => ensureBuilt(), 180_000);
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('readers see the old or the new version of a file, never a mix', async () => {
    const project = makeProject({ 'ops/doc.md': sections(3, 'alpha'), 'ops/other.md': '# Other\n\nUnrelated.\n' });
    const embedder = new HashEmbedder();
    const deps = realDeps(project.root, embedder);
    cleanups.push(() => deps.close(), () => project.cleanup());
    await indexStandards(deps.index);
    const reader = new LanceIndexStore({ uri: path.join(project.root, '.agent-os', '.cache', 'index'), embedderId: embedder.id, dimensions: embedder.dimensions });
    cleanups.push(() => reader.close());

    let writing = true;
    const seen = new Set<number>();
    const readerLoop = (async () => {
      while (writing) {
        const files = (await reader.listFilesFromTable()) ?? [];
        const doc = files.find((f) => f.file === 'ops/doc.md');
        seen.add(doc?.chunks ?? 0);
      }
    })();
    for (let i = 0; i < 8; i++) {
      project.write('ops/doc.md', i % 2 === 0 ? sections(6, `beta${i}`) : sections(3, `alpha${i}`));
      await indexStandards(deps.index);
    }
    writing = false;
    await readerLoop;
    expect([...seen].sort()).toEqual([3, 6]);
  });

  it('concurrent CLI index runs all succeed and leave a consistent index', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 20; i++) files[`dev/topic-${i}.md`] = sections(4, `word${i}`);
    const project = makeProject(files);
    cleanups.push(() => project.cleanup());
    const runs = await Promise.all([0, 1, 2].map(() => runCli(['--root', project.root, 'index', '--json'])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const reports = runs.map((r) => JSON.parse(r.stdout) as { chunksWritten: number; fullRebuild: boolean });
    // Exactly one run built the index; the others found it up to date.
    expect(reports.filter((r) => r.fullRebuild)).toHaveLength(1);
    expect(reports.filter((r) => r.chunksWritten === 0)).toHaveLength(2);
    const search = await runCli(['--root', project.root, 'search', '--json', 'word7 paragraph']);
    expect(search.code, search.stderr).toBe(0);
    expect((JSON.parse(search.stdout) as { results: Array<{ file: string }> }).results[0]?.file).toBe('dev/topic-7.md');
  });
});
