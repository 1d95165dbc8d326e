import fs from 'node:fs';
import path from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { afterEach, describe, expect, it } from 'vitest';
import { FsStandardsRepo } from '../../src/infra/fs-standards-repo.js';
import { LanceIndexStore, tableNameFor, type LanceTuning } from '../../src/infra/lancedb-store.js';
import { indexStandards } from '../../src/services/index-standards.js';
import { searchStandards } from '../../src/services/search-standards.js';
import { HashEmbedder } from '../fakes/hash-embedder.js';
import { realDeps } from '../fakes/deps.js';
import { makeProject } from '../fakes/project.js';

/**
 * Words no two files share, so each file is the one right answer to a query of its own word; chosen so
 * that no two of them (nor the words every file has) fall into the same bucket of the HashEmbedder.
 */
const WORDS = ['amber', 'cinder', 'garnet', 'hollow', 'iris', 'lichen', 'nettle', 'osprey', 'sorrel', 'vetch', 'zinnia', 'bramble', 'dahlia', 'elder', 'gorse', 'heather', 'ivy', 'juniper', 'kestrel', 'myrtle'];

function standard(word: string, sections = 3): string {
  const parts = Array.from({ length: sections }, (_, i) => `## Rule ${i}\n\nEvery ${word} service keeps rule ${i} of the ${word} handbook.`);
  return `# The ${word} handbook\n\n${parts.join('\n\n')}\n`;
}

function files(words: readonly string[]): Record<string, string> {
  return Object.fromEntries(words.map((w) => [`ops/${w}.md`, standard(w)]));
}

describe('the index at scale: incremental rewrites, maintenance, ANN', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  async function setup(words: readonly string[], tuning: LanceTuning) {
    const project = makeProject(files(words));
    const embedder = new HashEmbedder();
    const deps = realDeps(project.root, embedder, tuning);
    const uri = path.join(project.root, '.agent-os', '.cache', 'index');
    const db = await lancedb.connect(uri, { readConsistencyInterval: 0 });
    cleanups.push(() => db.close(), () => deps.close(), () => project.cleanup());
    const table = async (): Promise<lancedb.Table> => db.openTable(tableNameFor(embedder.id, embedder.dimensions));
    const idsByFile = async (): Promise<Map<string, string[]>> => {
      const rows = (await (await table()).query().select(['id', 'file']).toArray()) as Array<{ id: string; file: string }>;
      const out = new Map<string, string[]>();
      for (const r of rows) out.set(r.file, [...(out.get(r.file) ?? []), r.id].sort());
      return out;
    };
    return { project, deps, embedder, uri, table, idsByFile };
  }

  it('a one-file edit rewrites that file\'s rows in one new fragment and leaves the others as they were', async () => {
    const { project, deps, table, idsByFile, embedder, uri } = await setup(WORDS.slice(0, 6), { maxFragments: 50 });
    await indexStandards(deps.index);
    const before = await idsByFile();
    expect((await (await table()).stats()).fragmentStats.numFragments).toBe(1);

    project.write('ops/amber.md', standard('amber', 4).replace('rule 3', 'rule 3, with a zircon exception'));
    const report = await indexStandards(deps.index);
    expect(report.changed).toEqual(['ops/amber.md']);

    const after = await idsByFile();
    for (const w of WORDS.slice(1, 6)) expect(after.get(`ops/${w}.md`)).toEqual(before.get(`ops/${w}.md`));
    expect(after.get('ops/amber.md')).toHaveLength(4);
    expect(after.get('ops/amber.md')).not.toEqual(before.get('ops/amber.md'));
    // No compaction and no index rebuild on a small edit: the old fragment stays, the new rows are
    // one more fragment, searched unindexed until maintenance folds them in.
    expect((await (await table()).stats()).fragmentStats.numFragments).toBe(2);
    expect((await (await table()).indexStats('text_idx'))?.numUnindexedRows).toBe(4);

    const out = await searchStandards(deps.search, { query: 'zircon exception' });
    expect(out.results[0]?.file).toBe('ops/amber.md');
    expect(out.results[0]?.content).toContain('zircon');

    // The file list kept beside the table follows the edit without a table scan going wrong.
    const reader = new LanceIndexStore({ uri, embedderId: embedder.id, dimensions: embedder.dimensions });
    cleanups.push(() => reader.close());
    const sidecar = (await reader.listFiles())?.sort((a, b) => a.file.localeCompare(b.file));
    const fromTable = (await reader.listFilesFromTable())?.sort((a, b) => a.file.localeCompare(b.file));
    expect(sidecar).toEqual(fromTable);
    expect(sidecar?.find((f) => f.file === 'ops/amber.md')?.chunks).toBe(4);
  });

  it('keeps scalar indexes on id and file, so single-file writes and lookups do not scan the table', async () => {
    const { deps, table } = await setup(WORDS.slice(0, 3), {});
    await indexStandards(deps.index);
    const indices = await (await table()).listIndices();
    const byColumn = new Map(indices.map((i) => [i.columns.join(','), i.indexType]));
    expect(byColumn.get('id')).toBe('BTree');
    expect(byColumn.get('file')).toBe('BTree');
    expect(byColumn.get('text')).toBe('FTS');
    expect(byColumn.has('vector')).toBe(false);
  });

  it('compacts and folds new rows into the indexes once enough edits have piled up', async () => {
    const { project, deps, table } = await setup(WORDS.slice(0, 5), { maxFragments: 3 });
    await indexStandards(deps.index);
    const fragments: number[] = [];
    const unindexed: number[] = [];
    for (let i = 0; i < 4; i++) {
      project.write(`ops/${WORDS[i]}.md`, standard(WORDS[i]!).replace('rule 1', `rule 1 edit ${i}`));
      await indexStandards(deps.index);
      const t = await table();
      fragments.push((await t.stats()).fragmentStats.numFragments);
      unindexed.push((await t.indexStats('text_idx'))?.numUnindexedRows ?? -1);
    }
    // Each edit rewrites a file's three rows into a fragment of their own; the edit that makes more
    // than three fragments triggers maintenance: fewer fragments, every row in the indexes again.
    expect(fragments.slice(0, 2)).toEqual([2, 3]);
    expect(fragments[2]).toBeLessThan(4);
    expect(unindexed).toEqual([3, 6, 0, 3]);
    expect(await (await table()).countRows()).toBe(15);
    const out = await searchStandards(deps.search, { query: 'cinder handbook rule edit' });
    expect(out.results[0]?.file).toBe('ops/cinder.md');
  });

  it('builds an ANN vector index once the table is large enough, and still finds the right file', async () => {
    // 20 files × 3 chunks = 60 rows: above a threshold of 40, so the full build trains an IVF index.
    const { deps, table } = await setup(WORDS, { annMinRows: 40 });
    await indexStandards(deps.index);
    const indices = await (await table()).listIndices();
    expect(indices.find((i) => i.columns.join(',') === 'vector')?.indexType).toBe('IvfFlat');
    const vectorsOnly = { ...deps.search, tuning: { ...deps.search.tuning, vectorWeight: 1 } };
    for (const word of ['garnet', 'osprey', 'myrtle']) {
      const out = await searchStandards(vectorsOnly, { query: `${word} handbook ${word} service` });
      expect(out.results[0]?.file).toBe(`ops/${word}.md`);
    }
  });

  it('adds the ANN index when incremental edits take the table over the threshold', async () => {
    const { project, deps, table } = await setup(WORDS.slice(0, 10), { annMinRows: 40 });
    await indexStandards(deps.index);
    const hasVectorIndex = async (): Promise<boolean> => (await (await table()).listIndices()).some((i) => i.columns.join(',') === 'vector');
    expect(await hasVectorIndex()).toBe(false);
    for (const w of WORDS.slice(10)) project.write(`ops/${w}.md`, standard(w));
    const report = await indexStandards(deps.index);
    expect(report.fullRebuild).toBe(false);
    expect(report.added).toHaveLength(10);
    expect(await hasVectorIndex()).toBe(true);
    const out = await searchStandards({ ...deps.search, tuning: { ...deps.search.tuning, vectorWeight: 1 } }, { query: 'kestrel handbook kestrel service' });
    expect(out.results[0]?.file).toBe('ops/kestrel.md');
  });
});

/** A real standards directory that counts the files read from it. */
class CountingRepo extends FsStandardsRepo {
  readonly reads: string[] = [];
  override async read(file: string): Promise<Uint8Array> {
    this.reads.push(file);
    return super.read(file);
  }
}

describe('scanning by change signature', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  /** Deps whose clock runs `aheadMs` ahead, so files written now are past the racy window. */
  function setup(aheadMs: number) {
    const project = makeProject(files(WORDS.slice(0, 4)));
    const deps = realDeps(project.root, new HashEmbedder());
    cleanups.push(() => deps.close(), () => project.cleanup());
    const repo = new CountingRepo(project.standards);
    const index = { ...deps.index, repo, now: () => Date.now() + aheadMs };
    return { project, deps, repo, index };
  }

  it('does not read files whose size, times and inode are as recorded; --full reads them all', async () => {
    const { project, repo, index } = setup(10_000);
    await indexStandards(index);
    expect(repo.reads).toHaveLength(4);
    repo.reads.length = 0;
    const again = await indexStandards(index);
    expect(again.unchanged).toBe(4);
    expect(repo.reads).toEqual([]);

    project.write('ops/amber.md', standard('amber', 5));
    const edited = await indexStandards(index);
    expect(edited.changed).toEqual(['ops/amber.md']);
    expect(repo.reads).toEqual(['ops/amber.md']);

    repo.reads.length = 0;
    const full = await indexStandards(index, { full: true });
    expect(full.fullRebuild).toBe(true);
    expect(repo.reads.sort()).toEqual(WORDS.slice(0, 4).map((w) => `ops/${w}.md`));
  });

  it('notices a same-size edit whose modification time was put back', async () => {
    const { project, deps, index } = setup(10_000);
    await indexStandards(index);
    const file = path.join(project.standards, 'ops', 'cinder.md');
    const before = fs.statSync(file);
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace('rule 2 of the cinder', 'rule 2 of the zircon'));
    fs.utimesSync(file, before.atime, before.mtime);
    expect(fs.statSync(file).size).toBe(before.size);
    const report = await indexStandards(index);
    expect(report.changed).toEqual(['ops/cinder.md']);
    const out = await searchStandards(deps.search, { query: 'zircon' });
    expect(out.results[0]?.file).toBe('ops/cinder.md');
  });

  it('rebuilds a deleted index from files it knew by signature, reading them when it needs their text', async () => {
    const { project, deps, repo, index } = setup(10_000);
    await indexStandards(index);
    fs.rmSync(path.join(project.root, '.agent-os', '.cache', 'index'), { recursive: true, force: true });
    repo.reads.length = 0;
    const rebuilt = await indexStandards(index);
    expect(rebuilt.fullRebuild).toBe(true);
    expect(rebuilt.chunksWritten).toBe(12);
    expect(repo.reads.sort()).toEqual(WORDS.slice(0, 4).map((w) => `ops/${w}.md`));
    const out = await searchStandards(deps.search, { query: 'garnet handbook' });
    expect(out.results[0]?.file).toBe('ops/garnet.md');
  });

  it('reads a file again while it is too recent for its times to be trusted', async () => {
    const { repo, index } = setup(0);
    await indexStandards(index);
    repo.reads.length = 0;
    await indexStandards(index);
    expect(repo.reads).toHaveLength(4);
  });
});
