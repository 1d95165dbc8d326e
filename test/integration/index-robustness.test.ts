import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileWriterLock } from '../../src/infra/file-lock.js';
import type { Logger } from '../../src/ports/logger.js';
import { indexStandards } from '../../src/services/index-standards.js';
import { searchStandards } from '../../src/services/search-standards.js';
import { HashEmbedder } from '../fakes/hash-embedder.js';
import { realDeps } from '../fakes/deps.js';
import { makeProject } from '../fakes/project.js';

const GOOD = '# Logging\n\n## Structured logs\n\nLog JSON lines with a request id.\n';

describe('indexing bad input and damaged state', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  it('indexes what it can and reports the rest: empty, binary, non-UTF-8, huge, broken front matter', async () => {
    const latin1 = Buffer.from('# Caf\xe9 r\xe8gles\n\nEncodage ISO-8859-1 avec des caract\xe8res accentu\xe9s.\n', 'latin1');
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02, 0x03]);
    const project = makeProject({
      'operations/logging.md': GOOD,
      'operations/empty.md': '',
      'operations/image.md': binary,
      'operations/latin1.md': latin1,
      'operations/huge.md': `# Huge\n\n${'x'.repeat(3_000_000)}\n`,
      'operations/bad-yaml.md': '---\ntags: [oops\n---\n# Bad yaml\n\nStill indexed about retries.\n',
      'operations/notes.txt': 'not markdown',
    });
    const deps = realDeps(project.root, new HashEmbedder());
    cleanups.push(() => deps.close(), () => project.cleanup());
    const report = await indexStandards(deps.index);
    const skipped = Object.fromEntries(report.skipped.map((s) => [s.file, s.reason]));
    expect(skipped['operations/image.md']).toMatch(/binary/);
    expect(skipped['operations/huge.md']).toMatch(/larger than/);
    expect(report.warnings.join('\n')).toMatch(/operations\/empty\.md: empty/);
    expect(report.warnings.join('\n')).toMatch(/bad-yaml\.md: front matter is not valid YAML/);
    expect(Object.keys(skipped)).not.toContain('operations/notes.txt');
    const retries = await searchStandards(deps.search, { query: 'retries' });
    expect(retries.results[0]?.file).toBe('operations/bad-yaml.md');
    // Latin-1 bytes are decoded as Latin-1: the file is indexed, not lost.
    const latin = await searchStandards(deps.search, { query: 'Encodage ISO' });
    expect(latin.results.map((r) => r.file)).toContain('operations/latin1.md');
    expect(report.warnings.join('\n')).toMatch(/latin1\.md: not valid UTF-8; read as Latin-1/);
  });

  it('rebuilds when the index directory is corrupt', async () => {
    const project = makeProject({ 'operations/logging.md': GOOD });
    let deps = realDeps(project.root, new HashEmbedder());
    cleanups.push(() => project.cleanup());
    await indexStandards(deps.index);
    await deps.close();
    // Damage every data and manifest file of the table.
    const indexDir = path.join(project.root, '.agent-os', '.cache', 'index');
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else fs.writeFileSync(p, 'garbage');
      }
    };
    walk(indexDir);
    deps = realDeps(project.root, new HashEmbedder());
    cleanups.push(() => deps.close());
    const report = await indexStandards(deps.index);
    expect(report.fullRebuild).toBe(true);
    expect(report.warnings.join('\n')).toMatch(/rebuilt/);
    const out = await searchStandards(deps.search, { query: 'structured logs request id' });
    expect(out.results[0]?.file).toBe('operations/logging.md');
  });

  it('notices a deleted index even though its file list survives', async () => {
    const project = makeProject({ 'operations/logging.md': GOOD });
    const embedder = new HashEmbedder();
    const deps = realDeps(project.root, embedder);
    cleanups.push(() => deps.close(), () => project.cleanup());
    await indexStandards(deps.index);
    const indexDir = path.join(project.root, '.agent-os', '.cache', 'index');
    const table = fs.readdirSync(indexDir).find((n) => n.endsWith('.lance'))!;
    fs.rmSync(path.join(indexDir, table), { recursive: true });
    await deps.close();
    const again = realDeps(project.root, embedder);
    cleanups.push(() => again.close());
    const report = await indexStandards(again.index);
    expect(report.fullRebuild).toBe(true);
    expect(report.chunksWritten).toBeGreaterThan(0);
  });

  it('says how to start when there is no .agent-os directory', async () => {
    const project = makeProject();
    fs.rmSync(path.join(project.root, '.agent-os'), { recursive: true, force: true });
    const deps = realDeps(project.root, new HashEmbedder());
    cleanups.push(() => deps.close(), () => project.cleanup());
    await expect(indexStandards(deps.index)).rejects.toMatchObject({ code: 'NOT_INITIALIZED', hint: expect.stringMatching(/agent-os init/) });
    await expect(searchStandards(deps.search, { query: 'anything' })).rejects.toMatchObject({ code: 'NOT_INITIALIZED', hint: expect.stringMatching(/agent-os index/) });
  });

  it('a model change rebuilds into a new table and drops the old one', async () => {
    const project = makeProject({ 'operations/logging.md': GOOD });
    const a = realDeps(project.root, new HashEmbedder('model-a', 32));
    cleanups.push(() => project.cleanup());
    await indexStandards(a.index);
    await a.close();
    const b = realDeps(project.root, new HashEmbedder('model-b', 48));
    cleanups.push(() => b.close());
    const report = await indexStandards(b.index);
    expect(report.fullRebuild).toBe(true);
    expect(report.embedder).toBe('model-b');
    const entries = fs.readdirSync(path.join(project.root, '.agent-os', '.cache', 'index')).sort();
    expect(entries).toEqual(['chunks_model_b_48.files.json', 'chunks_model_b_48.lance']);
    const out = await searchStandards(b.search, { query: 'structured logs' });
    expect(out.mode).toBe('hybrid');
  });
});

/** Embeds like HashEmbedder, but once held, each call waits until released (a run parked mid-index). */
class GatedEmbedder extends HashEmbedder {
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;
  reached = false;

  hold(): void {
    this.reached = false;
    this.gate = new Promise((r) => (this.open = r));
  }

  release(): void {
    this.open?.();
    this.gate = null;
  }

  override async embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    this.reached = true;
    if (this.gate) await this.gate;
    return super.embedDocuments(texts);
  }
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for: ${what}`);
}

describe('losing the index writer lock during a run', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  const CHANGED = '# Logging\n\n## Structured logs\n\nLog JSON lines with a correlation token named zebrafish.\n';

  /** A project indexed once, with the file then changed and a lock that proper-lockfile refreshes every second. */
  async function setup(): Promise<{ deps: ReturnType<typeof realDeps>; embedder: GatedEmbedder; lockDir: string; warnings: string[]; project: ReturnType<typeof makeProject> }> {
    const project = makeProject({ 'operations/logging.md': GOOD });
    const embedder = new GatedEmbedder();
    const deps = realDeps(project.root, embedder);
    cleanups.push(() => deps.close(), () => project.cleanup());
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, error() {}, warn: (msg, data) => warnings.push(`${msg} ${JSON.stringify(data ?? {})}`) };
    const target = path.join(project.root, '.agent-os', '.cache', 'index.lock');
    deps.index.lock = new FileWriterLock(target, { staleMs: 2000, updateMs: 1000, logger });
    await indexStandards(deps.index);
    project.write('operations/logging.md', CHANGED);
    return { deps, embedder, lockDir: `${target}.lock`, warnings, project };
  }

  /** What another writer does once it judges our lock stale: removes it and makes its own. */
  function takeOver(lockDir: string): void {
    fs.rmSync(lockDir, { recursive: true, force: true });
    fs.mkdirSync(lockDir);
    const then = new Date(Date.UTC(2020, 0, 1));
    fs.utimesSync(lockDir, then, then);
  }

  it('a lock taken over mid-run is noticed by the refresh timer without crashing; the run fails LOCKED and writes nothing; the next run repairs', async () => {
    const { deps, embedder, lockDir, warnings } = await setup();
    embedder.hold();
    const run = indexStandards(deps.index);
    await until(() => embedder.reached, 'the run to reach embedding');
    takeOver(lockDir);
    // proper-lockfile's refresh timer finds the lock directory is not ours any more.
    await until(() => warnings.some((w) => w.startsWith('index writer lock lost')), 'the compromise to be reported');
    embedder.release();
    await expect(run).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringMatching(/^Indexing stopped before writing: the index writer lock .*index\.lock\.lock was lost/),
      hint: expect.stringMatching(/Run `agent-os index` again/),
    });
    // The other writer's lock is left to it, and our run committed nothing.
    expect(fs.existsSync(lockDir)).toBe(true);
    expect((await searchStandards(deps.search, { query: 'zebrafish' })).results.map((r) => r.content).join('\n')).not.toMatch(/zebrafish/);

    // The other writer finishes; the next run picks up the change.
    fs.rmSync(lockDir, { recursive: true, force: true });
    const report = await indexStandards(deps.index);
    expect(report.changed).toEqual(['operations/logging.md']);
    const out = await searchStandards(deps.search, { query: 'zebrafish correlation token' });
    expect(out.results[0]?.content).toMatch(/zebrafish/);
  });

  it('a lock taken over just before the commit is caught by the check before writing, before the timer runs', async () => {
    const { deps, embedder, lockDir } = await setup();
    embedder.hold();
    const run = indexStandards(deps.index);
    await until(() => embedder.reached, 'the run to reach embedding');
    takeOver(lockDir);
    embedder.release();
    await expect(run).rejects.toMatchObject({ code: 'LOCKED', message: expect.stringMatching(/another process has taken it over/) });
    expect(fs.existsSync(lockDir)).toBe(true);
    fs.rmSync(lockDir, { recursive: true, force: true });
    expect((await indexStandards(deps.index)).changed).toEqual(['operations/logging.md']);
  });
});
